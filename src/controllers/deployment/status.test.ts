// Deployment status: counts, Available, and the Progressing condition through a rollout, a timeout and a resync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339 } from '../../util/clock';
import { calculateStatus, deploymentComplete, progressCheckAfter, rolloutStatus } from './status';
import { deploymentOf, replicaSetOf } from './testdata';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const progressing = (s: { conditions?: { type: string }[] }) => (s.conditions ?? []).find((c) => c.type === 'Progressing') as Record<string, string> | undefined;

test('counts come from the ReplicaSets; Available follows minAvailable', () => {
  const d = deploymentOf(4, 1, 1);
  const s = calculateStatus([replicaSetOf('old', 2, 2, 0), replicaSetOf('new', 3, 1, 10)], replicaSetOf('new', 3, 1, 10), d, T0);
  assert.deepEqual(
    { ...s, conditions: undefined },
    { observedGeneration: 1, replicas: 5, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 2, conditions: undefined },
  );
  assert.deepEqual(s.conditions, [{ type: 'Available', status: 'True', lastUpdateTime: rfc3339(T0), lastTransitionTime: rfc3339(T0), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }]);
  const low = calculateStatus([replicaSetOf('new', 4, 2, 10)], undefined, d, T0);
  assert.equal(low.conditions![0].reason, 'MinimumReplicasUnavailable');
});

test('Progressing: progress refreshes lastUpdateTime only; completion says NewReplicaSetAvailable', () => {
  const d = deploymentOf(2);
  d.status = { conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: 'Created new replica set "web-a"', lastUpdateTime: rfc3339(T0), lastTransitionTime: rfc3339(T0) }] };
  const newRS = replicaSetOf('web-a', 2, 1, 10);
  const s1 = rolloutStatus([newRS], newRS, d, T0 + 5000);
  assert.deepEqual(progressing(s1), { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-a" is progressing.', lastUpdateTime: rfc3339(T0 + 5000), lastTransitionTime: rfc3339(T0) });
  const done = replicaSetOf('web-a', 2, 2, 10);
  const s2 = rolloutStatus([done], done, { ...d, status: s1 }, T0 + 9000);
  assert.equal(progressing(s2)!.reason, 'NewReplicaSetAvailable');
  assert.equal(progressing(s2)!.message, 'ReplicaSet "web-a" has successfully progressed.');
  assert.equal(deploymentComplete(d, s2), true);
  // A resync of a finished rollout changes nothing.
  assert.deepEqual(progressing(rolloutStatus([done], done, { ...d, status: s2 }, T0 + 99_000)), progressing(s2));
});

test('Progressing: no progress for progressDeadlineSeconds times out; the deadline check is scheduled until then', () => {
  const d = deploymentOf(2, 1, 0, { progressDeadlineSeconds: 60 });
  const stuck = replicaSetOf('web-a', 2, 0, 10);
  d.status = rolloutStatus([stuck], stuck, { ...d, status: { conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', lastUpdateTime: rfc3339(T0), lastTransitionTime: rfc3339(T0) }] } }, T0);
  const early = rolloutStatus([stuck], stuck, d, T0 + 30_000);
  assert.equal(progressing(early)!.reason, 'ReplicaSetUpdated');
  assert.equal(progressCheckAfter(d, early, T0 + 30_000), 30_000);
  const late = rolloutStatus([stuck], stuck, d, T0 + 60_001);
  assert.deepEqual([progressing(late)!.status, progressing(late)!.reason, progressing(late)!.message], ['False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-a" has timed out progressing.']);
  assert.equal(progressCheckAfter({ ...d, status: late }, late, T0 + 70_000), undefined);
});

test('without a progress deadline there is no Progressing condition; ReplicaSet failures surface', () => {
  const d = deploymentOf(1, 1, 0, { progressDeadlineSeconds: 2 ** 31 - 1 });
  const rs = replicaSetOf('web-a', 1, 0, 0);
  rs.status!.conditions = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota', lastTransitionTime: rfc3339(T0) }];
  const s = rolloutStatus([rs], rs, d, T0);
  assert.equal(progressing(s), undefined);
  const failure = s.conditions!.find((c) => c.type === 'ReplicaFailure')!;
  assert.deepEqual([failure.reason, failure.message, failure.lastUpdateTime], ['FailedCreate', 'exceeded quota', rfc3339(T0)]);
});
