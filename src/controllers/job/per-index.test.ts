// Unit tests of backoffLimitPerIndex: failure counts carried in annotations, failed indexes, per-index backoff, and the Job's failure reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../shared/types';
import type { Job } from './conditions';
import { calculateFailedIndexes, indexesReadyToCreate, indexFailureAnnotations, isIndexFailed } from './per-index';
import { syncOnce } from './testdata';
import { trackPods } from './tracking';

const NOW = Date.parse('2024-05-01T10:00:00Z');
const T = (s: number) => new Date(NOW + s * 1000).toISOString().replace('.000', '');

function job(spec: Partial<Job['spec']> = {}, status: Job['status'] = {}): Job {
  return {
    metadata: { name: 'ix', namespace: 'ns', uid: 'job-uid' },
    spec: {
      completions: 3,
      parallelism: 3,
      completionMode: 'Indexed',
      backoffLimit: 2147483647,
      backoffLimitPerIndex: 1,
      podReplacementPolicy: 'Failed',
      template: { spec: { containers: [], restartPolicy: 'Never' } },
      ...spec,
    },
    status: { startTime: T(-600), ...status },
  };
}

let seq = 0;
function pod(index: number, phase: string, o: { failures?: number; ignored?: number; exitCode?: number; finishedAgo?: number } = {}): Pod {
  seq++;
  const annotations: Record<string, string> = { 'batch.kubernetes.io/job-completion-index': String(index) };
  if (o.failures !== undefined) annotations['batch.kubernetes.io/job-index-failure-count'] = String(o.failures);
  if (o.ignored !== undefined) annotations['batch.kubernetes.io/job-index-ignored-failure-count'] = String(o.ignored);
  const p: Pod = { metadata: { name: `ix-${index}-${seq}`, namespace: 'ns', uid: `uid-${seq}`, finalizers: ['batch.kubernetes.io/job-tracking'], annotations }, spec: { containers: [] }, status: { phase } };
  if (phase === 'Failed' || phase === 'Succeeded') {
    const exitCode = o.exitCode ?? (phase === 'Failed' ? 1 : 0);
    p.status!.containerStatuses = [{ name: 'main', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, finishedAt: T(-(o.finishedAgo ?? 60)) } } }];
  }
  return p;
}

const sync = (j: Job, pods: Pod[]) => syncOnce(j, pods, NOW);

test('an index fails once a counted failure finds its budget spent, or at once on a FailIndex rule', () => {
  const j = job();
  assert.equal(isIndexFailed(j, pod(0, 'Failed', { failures: 0 })), false);
  assert.equal(isIndexFailed(j, pod(0, 'Failed', { failures: 1 })), true);
  assert.equal(isIndexFailed(j, pod(0, 'Running', { failures: 5 })), false);
  const failIndex = job({ podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [5] } }] } });
  assert.equal(isIndexFailed(failIndex, pod(0, 'Failed', { failures: 0, exitCode: 5 })), true);
  assert.equal(isIndexFailed(failIndex, pod(0, 'Failed', { failures: 0, exitCode: 6 })), false);
  assert.deepEqual([...calculateFailedIndexes(job({}, { failedIndexes: '2' }), [pod(0, 'Failed', { failures: 1 })])].sort(), [0, 2]);
});

test('a replacement carries the failure count forward; ignored failures are counted apart', () => {
  assert.deepEqual(indexFailureAnnotations(job(), undefined), { 'batch.kubernetes.io/job-index-failure-count': '0' });
  assert.deepEqual(indexFailureAnnotations(job(), pod(0, 'Failed', { failures: 2 })), { 'batch.kubernetes.io/job-index-failure-count': '3' });
  const ignoring = job({ podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [9] } }] } });
  assert.deepEqual(indexFailureAnnotations(ignoring, pod(0, 'Failed', { failures: 1, exitCode: 9 })), {
    'batch.kubernetes.io/job-index-failure-count': '1',
    'batch.kubernetes.io/job-index-ignored-failure-count': '1',
  });
});

test('a failed index with budget left is retried after its own backoff; its failed pod keeps the finalizer until then', () => {
  const first = pod(1, 'Failed', { failures: 0, finishedAgo: 2 });
  const { ctx, plan } = sync(job(), [pod(0, 'Running'), first, pod(2, 'Running')]);
  assert.deepEqual(plan.create, [], 'index 1 waits: 10 s backoff, 2 s passed');
  assert.equal(plan.requeueAfterMs, 8000);
  assert.equal(ctx.podsWithDelayedDeletion.get(1), first);
  assert.equal(trackPods(ctx, false).podsToRemoveFinalizer.length, 0);
  assert.equal(ctx.job.status!.failedIndexes, '', 'shown, empty');
  const later = sync(job(), [pod(0, 'Running'), pod(1, 'Failed', { failures: 0, finishedAgo: 11 }), pod(2, 'Running')]);
  assert.deepEqual(later.plan.create, [1]);
  assert.equal(later.plan.finishedCondition, undefined);
});

test('per-index backoff doubles with the index failures and only holds back that index', () => {
  const delayed = new Map([[1, pod(1, 'Failed', { failures: 1, finishedAgo: 15 })]]);
  assert.deepEqual(indexesReadyToCreate([0, 1], delayed, NOW), { create: [0], waitMs: 0 });
  assert.deepEqual(indexesReadyToCreate([1], delayed, NOW), { create: [], waitMs: 5000 });
});

test('once its replacement runs, the failed pod of an index loses its finalizer without failing the Job', () => {
  const old = pod(1, 'Failed', { failures: 0 });
  const { ctx } = sync(job(), [pod(0, 'Running'), old, pod(1, 'Running', { failures: 1 }), pod(2, 'Running')]);
  const t = trackPods(ctx, false);
  assert.deepEqual(t.podsToRemoveFinalizer, [old]);
  assert.deepEqual(ctx.job.status!.uncountedTerminatedPods!.failed, [old.metadata.uid]);
});

test('an index out of budget is not retried; with every index done the Job fails with FailedIndexes', () => {
  const spent = pod(1, 'Failed', { failures: 1 });
  const { ctx, plan } = sync(job(), [pod(0, 'Running'), spent, pod(2, 'Running')]);
  assert.deepEqual([...ctx.failedIndexes!], [1]);
  assert.deepEqual(plan.create, []);
  assert.equal(plan.finishedCondition, undefined, 'the other indexes keep running');
  trackPods(ctx, false);
  assert.equal(ctx.job.status!.failedIndexes, '1');
  const done = sync(job({}, { completedIndexes: '0,2', succeeded: 2, failedIndexes: '1' }), []);
  assert.deepEqual([done.plan.finishedCondition?.type, done.plan.finishedCondition?.reason, done.plan.finishedCondition?.message], ['FailureTarget', 'FailedIndexes', 'Job has failed indexes']);
});

test('more failed indexes than maxFailedIndexes fails the Job at once, stopping the rest', () => {
  const { plan } = sync(job({ maxFailedIndexes: 0 }), [pod(0, 'Running'), pod(1, 'Failed', { failures: 1 }), pod(2, 'Running')]);
  assert.deepEqual([plan.finishedCondition?.reason, plan.finishedCondition?.message], ['MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes']);
  assert.equal(plan.deletePods.length, 2);
});
