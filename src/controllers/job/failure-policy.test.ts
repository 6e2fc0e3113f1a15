// Unit tests of podFailurePolicy matching and of what it does to a Job's sync: FailJob, Ignore, Count, DisruptionTarget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodFailurePolicy } from 'kubernetes-types/batch/v1';
import type { Pod } from '../shared/types';
import type { Job } from './conditions';
import { matchPodFailurePolicy } from './failure-policy';
import { syncOnce } from './testdata';
import { enactJobFinished, trackPods } from './tracking';

const NOW = Date.parse('2024-05-01T10:00:00Z');

let seq = 0;
/** A failed pod whose containers exited with these codes (the first is "main"), with extra pod conditions. */
function failed(codes: number[], conditions: { type: string; status: string }[] = [], init: number[] = []): Pod {
  seq++;
  const term = (name: string, exitCode: number) => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, finishedAt: '2024-05-01T09:59:00Z' } } });
  return {
    metadata: { name: `p-${seq}`, namespace: 'ns', uid: `uid-${seq}`, finalizers: ['batch.kubernetes.io/job-tracking'] },
    spec: { containers: [] },
    status: {
      phase: 'Failed',
      conditions,
      containerStatuses: codes.map((c, i) => term(i === 0 ? 'main' : `side${i}`, c)),
      initContainerStatuses: init.map((c, i) => term(`init${i}`, c)),
    },
  };
}
const running = (): Pod => ({ metadata: { name: `r-${++seq}`, namespace: 'ns', uid: `uid-${seq}`, finalizers: ['batch.kubernetes.io/job-tracking'] }, spec: { containers: [] }, status: { phase: 'Running' } });

const POLICY: PodFailurePolicy = {
  rules: [
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1, 42] } },
  ],
};

test('rules are tried in order; the first match decides; exit code 0 and unmatched pods count as plain failures', () => {
  assert.deepEqual(matchPodFailurePolicy(POLICY, failed([42])), {
    failJobMessage: 'Container main for pod ns/p-1 failed with exit code 42 matching FailJob rule at index 0',
    countFailed: true,
    action: 'FailJob',
  });
  assert.deepEqual(matchPodFailurePolicy(POLICY, failed([1], [{ type: 'DisruptionTarget', status: 'True' }])), { countFailed: false, action: 'Ignore' });
  assert.deepEqual(matchPodFailurePolicy(POLICY, failed([1], [{ type: 'DisruptionTarget', status: 'False' }])), { countFailed: true });
  assert.deepEqual(matchPodFailurePolicy(POLICY, failed([3])), { countFailed: true, action: 'Count' });
  assert.deepEqual(matchPodFailurePolicy(POLICY, failed([0, 1])), { countFailed: true }, 'NotIn never matches a zero exit');
  assert.deepEqual(matchPodFailurePolicy(undefined, failed([42])), { countFailed: true });
});

test('containerName limits exit-code rules; init containers are checked after app containers', () => {
  // 42 from a sidecar is not "main": the FailJob rule does not apply, the Count rule (NotIn [1, 42]) does not either.
  assert.deepEqual(matchPodFailurePolicy(POLICY, failed([0, 42])), { countFailed: true });
  const init = matchPodFailurePolicy({ rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [7] } }] }, failed([], [], [7]));
  assert.match(init.failJobMessage!, /^Container init0 for pod ns\/p-\d+ failed with exit code 7 matching FailJob rule at index 0$/);
  const cond = matchPodFailurePolicy({ rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] }, failed([1], [{ type: 'DisruptionTarget', status: 'True' }]));
  assert.match(cond.failJobMessage!, /^Pod ns\/p-\d+ has condition DisruptionTarget matching FailJob rule at index 0$/);
});

function job(policy: PodFailurePolicy, backoffLimit = 6): Job {
  return {
    metadata: { name: 'j', namespace: 'ns', uid: 'job-uid' },
    spec: { completions: 2, parallelism: 2, backoffLimit, podFailurePolicy: policy, podReplacementPolicy: 'Failed', template: { spec: { containers: [], restartPolicy: 'Never' } } },
    status: { startTime: '2024-05-01T09:00:00Z' },
  };
}
const sync = (j: Job, pods: Pod[]) => syncOnce(j, pods, NOW);

test('a FailJob match adds FailureTarget (reason PodFailurePolicy), stops the other pods, then Failed once all are counted', () => {
  const bad = failed([42]);
  const other = running();
  const { ctx, plan } = sync(job(POLICY), [bad, other]);
  assert.equal(plan.finishedCondition?.type, 'FailureTarget');
  assert.equal(plan.finishedCondition?.reason, 'PodFailurePolicy');
  assert.equal(plan.finishedCondition?.message, 'Container main for pod ns/p-' + bad.metadata.name!.slice(2) + ' failed with exit code 42 matching FailJob rule at index 0');
  assert.deepEqual(plan.deletePods, [other]);
  const t = trackPods(ctx, false);
  const status = ctx.job.status!;
  assert.deepEqual(status.conditions?.map((c) => [c.type, c.reason]), [['FailureTarget', 'PodFailurePolicy']]);
  assert.equal(t.finishedCondition?.type, 'Failed');
  assert.equal(t.finishedCondition?.reason, 'PodFailurePolicy');
  // Finalizers removed, counters moved: then the Failed condition lands with the same reason and message.
  status.uncountedTerminatedPods = {};
  assert.ok(enactJobFinished(status, t.finishedCondition, 0, NOW));
  assert.deepEqual(status.conditions?.map((c) => [c.type, c.reason]), [['FailureTarget', 'PodFailurePolicy'], ['Failed', 'PodFailurePolicy']]);
});

test('an existing FailureTarget becomes Failed with its reason and message', () => {
  const j = job(POLICY);
  j.status!.conditions = [{ type: 'FailureTarget', status: 'True', reason: 'PodFailurePolicy', message: 'm' }];
  const { plan } = sync(j, []);
  assert.deepEqual([plan.finishedCondition?.type, plan.finishedCondition?.reason, plan.finishedCondition?.message], ['Failed', 'PodFailurePolicy', 'm']);
});

test('Ignore: the failure (a disruption) is not counted against backoffLimit and the pod is replaced', () => {
  const disrupted = failed([137], [{ type: 'DisruptionTarget', status: 'True' }]);
  const { ctx, plan } = sync(job(POLICY, 0), [disrupted, running()]);
  assert.equal(ctx.failed, 0);
  assert.equal(plan.finishedCondition, undefined, 'backoffLimit 0 is not exceeded');
  assert.equal(plan.create.length, 1);
  const t = trackPods(ctx, false);
  assert.deepEqual(t.podsToRemoveFinalizer, [disrupted], 'its finalizer goes');
  assert.equal(ctx.job.status!.uncountedTerminatedPods!.failed, undefined, 'but it is never counted as failed');
});

test('Count and unmatched failures count against backoffLimit as usual', () => {
  const { ctx, plan } = sync(job(POLICY, 1), [failed([3]), failed([1])]);
  assert.equal(ctx.failed, 2);
  assert.equal(plan.finishedCondition?.reason, 'BackoffLimitExceeded');
});
