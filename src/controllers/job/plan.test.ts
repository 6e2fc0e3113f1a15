// Unit tests of the Job sync decisions and of counting finished pods through the tracking finalizer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../shared/types';
import type { Job } from './conditions';
import { buildContext, planJob } from './plan';
import { cleanUncounted, enactJobFinished, trackPods } from './tracking';

const NOW = Date.parse('2024-05-01T10:00:00Z');
const T = (s: number) => new Date(NOW + s * 1000).toISOString().replace('.000', '');

function job(spec: Partial<Job['spec']> = {}, status?: Job['status']): Job {
  return {
    metadata: { name: 'pi', namespace: 'ns', uid: 'job-uid' },
    spec: { completions: 3, parallelism: 2, backoffLimit: 6, completionMode: 'NonIndexed', template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } }, ...spec },
    status: status ?? {},
  };
}

let seq = 0;
function pod(phase: string, opts: { index?: number; finalizer?: boolean; finishedAt?: string; deleting?: boolean } = {}): Pod {
  seq++;
  const p: Pod = {
    metadata: {
      name: `pi-${seq}`,
      namespace: 'ns',
      uid: `pod-${seq}`,
      finalizers: opts.finalizer === false ? [] : ['batch.kubernetes.io/job-tracking'],
      creationTimestamp: T(-100),
      annotations: opts.index === undefined ? {} : { 'batch.kubernetes.io/job-completion-index': String(opts.index) },
    },
    spec: { containers: [] },
    status: { phase },
  };
  if (opts.finishedAt) p.status!.containerStatuses = [{ name: 'c', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, finishedAt: opts.finishedAt } } }];
  if (opts.deleting) p.metadata.deletionTimestamp = T(0);
  return p;
}

const run = (j: Job, pods: Pod[], satisfied = true) => {
  const ctx = buildContext(structuredClone(j), pods, NOW, new Set());
  return { ctx, plan: planJob(ctx, satisfied) };
};

test('a new Job starts parallelism pods and gets its startTime', () => {
  const { ctx, plan } = run(job(), []);
  assert.equal(plan.create.length, 2);
  assert.equal(plan.active, 2);
  assert.equal(ctx.job.status!.startTime, T(0));
});

test('no more pods than remaining completions; none while expectations are pending', () => {
  const { plan } = run(job({}, { startTime: T(-50), succeeded: 2 }), [pod('Running')]);
  assert.equal(plan.create.length, 0);
  const { plan: p2 } = run(job({}, { startTime: T(-50), succeeded: 1 }), [pod('Running')]);
  assert.equal(p2.create.length, 1);
  const { plan: p3 } = run(job(), [], false);
  assert.equal(p3.create.length, 0);
});

test('reaching completions sets SuccessCriteriaMet, then Complete once the pods are counted', () => {
  const pods = [pod('Succeeded'), pod('Succeeded'), pod('Succeeded')];
  const { ctx, plan } = run(job({}, { startTime: T(-50) }), pods);
  assert.equal(plan.finishedCondition?.type, 'SuccessCriteriaMet');
  ctx.finishedCondition = plan.finishedCondition;
  const t = trackPods(ctx, false);
  assert.equal(t.podsToRemoveFinalizer.length, 3);
  assert.deepEqual(ctx.job.status!.uncountedTerminatedPods!.succeeded, pods.map((p) => p.metadata.uid));
  assert.deepEqual(
    ctx.job.status!.conditions!.map((c) => [c.type, c.reason, c.message]),
    [['SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods']],
  );
  assert.equal(t.finishedCondition?.type, 'Complete');
  assert.ok(t.needsFlush);
  // Not finished while pods are uncounted.
  const status = structuredClone(ctx.job.status!);
  assert.equal(enactJobFinished(status, t.finishedCondition, 0, NOW), false);
  // The finalizers went: the pods are counted, and the Job completes.
  assert.ok(cleanUncounted(status, new Set()));
  assert.equal(status.succeeded, 3);
  assert.deepEqual(status.uncountedTerminatedPods, {});
  assert.equal(enactJobFinished(status, t.finishedCondition, 0, NOW), true);
  assert.equal(status.completionTime, T(0));
  assert.deepEqual(
    status.conditions!.map((c) => c.type),
    ['SuccessCriteriaMet', 'Complete'],
  );
});

test('failures past backoffLimit: FailureTarget, active pods stopped, then Failed once none terminate', () => {
  const running = pod('Running');
  const { ctx, plan } = run(job({ backoffLimit: 1 }, { startTime: T(-50) }), [pod('Failed'), pod('Failed'), running]);
  assert.equal(plan.finishedCondition?.reason, 'BackoffLimitExceeded');
  assert.equal(plan.finishedCondition?.type, 'FailureTarget');
  assert.deepEqual(plan.deletePods, [running]);
  assert.ok(plan.keepFinalizers);
  ctx.finishedCondition = plan.finishedCondition;
  const t = trackPods(ctx, false);
  // Every pod is counted as failed: the two failed ones and the one being stopped.
  assert.equal(ctx.job.status!.uncountedTerminatedPods!.failed!.length, 3);
  assert.equal(ctx.job.status!.conditions![0].type, 'FailureTarget');
  assert.equal(t.finishedCondition?.type, 'Failed');
  const status = structuredClone(ctx.job.status!);
  cleanUncounted(status, new Set());
  assert.equal(enactJobFinished(status, t.finishedCondition, 1, NOW), false, 'a pod is still terminating');
  assert.equal(enactJobFinished(status, t.finishedCondition, 0, NOW), true);
  assert.equal(status.failed, 3);
  assert.equal(status.completionTime, undefined);
  assert.deepEqual(status.conditions!.map((c) => [c.type, c.reason]), [
    ['FailureTarget', 'BackoffLimitExceeded'],
    ['Failed', 'BackoffLimitExceeded'],
  ]);
});

test('activeDeadlineSeconds: requeue until it passes, then DeadlineExceeded', () => {
  const { plan } = run(job({ activeDeadlineSeconds: 60 }, { startTime: T(-50) }), [pod('Running')]);
  assert.equal(plan.requeueAfterMs, 10_000);
  const { plan: late } = run(job({ activeDeadlineSeconds: 60 }, { startTime: T(-60) }), [pod('Running')]);
  assert.equal(late.finishedCondition?.reason, 'DeadlineExceeded');
  assert.equal(late.finishedCondition?.message, 'Job was active longer than specified deadline');
});

test('after a failure, replacements wait out the backoff', () => {
  const failed = pod('Failed', { finishedAt: T(-4) });
  const { ctx, plan } = run(job({}, { startTime: T(-50) }), [failed, pod('Running')]);
  assert.equal(plan.create.length, 0);
  assert.equal(plan.requeueAfterMs, 6000);
  void ctx;
  const { plan: later } = run(job({}, { startTime: T(-50) }), [pod('Failed', { finishedAt: T(-11) }), pod('Running')]);
  assert.equal(later.create.length, 1);
});

test('suspend deletes every active pod and sets Suspended; resuming resets startTime', () => {
  const { ctx, plan } = run(job({ suspend: true }, { startTime: T(-50) }), [pod('Running'), pod('Pending')]);
  assert.equal(plan.deletePods.length, 2);
  assert.equal(plan.keepFinalizers, false);
  assert.deepEqual(plan.events, [{ type: 'Normal', reason: 'Suspended', message: 'Job suspended' }]);
  assert.equal(ctx.job.status!.conditions![0].type, 'Suspended');
  const resumed = job({ suspend: false }, { startTime: T(-50), conditions: ctx.job.status!.conditions });
  const r = run(resumed, []);
  assert.equal(r.ctx.job.status!.startTime, T(0));
  assert.deepEqual(r.plan.events, [{ type: 'Normal', reason: 'Resumed', message: 'Job resumed' }]);
  assert.equal(r.ctx.job.status!.conditions![0].status, 'False');
});

test('Indexed: creates the lowest pending indexes, removes duplicates, counts completedIndexes', () => {
  const indexed = (status = {}) => job({ completionMode: 'Indexed', completions: 5, parallelism: 3 }, { startTime: T(-50), ...status });
  const { plan } = run(indexed({ completedIndexes: '0' }), [pod('Running', { index: 2 })]);
  assert.deepEqual(plan.create, [1, 3]);
  const dupA = pod('Running', { index: 1 });
  const dupB = pod('Pending', { index: 1 });
  const { plan: dup } = run(indexed(), [dupA, dupB, pod('Running', { index: 7 })]);
  assert.equal(dup.deletePods.length, 2);
  assert.ok(dup.deletePods.includes(dupB), 'the pending duplicate goes, the running one stays');
  const done = [pod('Succeeded', { index: 3 }), pod('Succeeded', { index: 4 })];
  const { ctx } = run(indexed({ completedIndexes: '0-1' }), done);
  assert.equal(ctx.succeeded, 4);
  const t = trackPods(ctx, false);
  assert.equal(ctx.job.status!.completedIndexes, '0,1,3,4');
  assert.equal(ctx.job.status!.succeeded, 4);
  assert.equal(t.podsToRemoveFinalizer.length, 2);
  assert.equal(ctx.job.status!.uncountedTerminatedPods!.succeeded, undefined);
});

test('no completions: done once one pod succeeded and none are active', () => {
  const { plan } = run(job({ completions: undefined, parallelism: 2 }, { startTime: T(-50) }), [pod('Succeeded'), pod('Running')]);
  assert.equal(plan.finishedCondition, undefined);
  assert.equal(plan.create.length, 0);
  const { plan: done } = run(job({ completions: undefined, parallelism: 2 }, { startTime: T(-50) }), [pod('Succeeded'), pod('Succeeded')]);
  assert.equal(done.finishedCondition?.type, 'SuccessCriteriaMet');
});

test('pods already counted (finalizer gone) are not counted again', () => {
  const counted = pod('Succeeded', { finalizer: false });
  const { ctx } = run(job({}, { startTime: T(-50), succeeded: 1 }), [counted]);
  assert.equal(ctx.succeeded, 1);
  const t = trackPods(ctx, false);
  assert.equal(t.podsToRemoveFinalizer.length, 0);
  assert.equal(t.needsFlush, false);
});
