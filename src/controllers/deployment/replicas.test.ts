// Rollout arithmetic: fenceposts and their rounding, new ReplicaSet steps, proportional resizes, old ReplicaSet scale-down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxSurge, maxUnavailable, resolveFenceposts, valueFromIntOrPercent } from './fenceposts';
import { isSaturated, newRSNewReplicas, oldReplicaSetsScaleDown, proportionalScale } from './replicas';
import { deploymentOf, replicaSetOf } from './testdata';

const ann = (desired: number, max: number) => ({ 'deployment.kubernetes.io/desired-replicas': String(desired), 'deployment.kubernetes.io/max-replicas': String(max) });
const sizes = (steps: { rs: { metadata: { name?: string } }; size: number }[]) => steps.map((s) => `${s.rs.metadata.name}=${s.size}`);

test('percentages: surge rounds up, unavailable rounds down; ints pass through; other strings are refused', () => {
  assert.equal(valueFromIntOrPercent('25%', 10, true), 3);
  assert.equal(valueFromIntOrPercent('25%', 10, false), 2);
  assert.equal(valueFromIntOrPercent(4, 10, true), 4);
  assert.throws(() => valueFromIntOrPercent('4', 10, true), /not a percentage/);
});

test('fenceposts: never both zero (unavailable becomes 1); maxUnavailable is capped at replicas; Recreate has none', () => {
  assert.deepEqual(resolveFenceposts('25%', '25%', 4), [1, 1]);
  assert.deepEqual(resolveFenceposts('0%', '10%', 5), [0, 1]);
  assert.deepEqual(resolveFenceposts(0, 0, 5), [0, 1]);
  assert.equal(maxSurge(deploymentOf(10, '25%', '25%')), 3);
  assert.equal(maxUnavailable(deploymentOf(10, '25%', '25%')), 2);
  assert.equal(maxUnavailable(deploymentOf(2, 0, 5)), 2);
  assert.equal(maxUnavailable(deploymentOf(0, 0, 5)), 0);
  const recreate = deploymentOf(10, 1, 1, { strategy: { type: 'Recreate' } });
  assert.equal(maxSurge(recreate), 0);
  assert.equal(maxUnavailable(recreate), 0);
});

test('new ReplicaSet steps: up to replicas + surge in total, never above replicas; Recreate goes straight to replicas', () => {
  const d = deploymentOf(10, 3, 2);
  const old = replicaSetOf('old', 10, 10, 0);
  assert.equal(newRSNewReplicas(d, [old, replicaSetOf('new', 0, 0, 1)], replicaSetOf('new', 0, 0, 1)), 3);
  assert.equal(newRSNewReplicas(d, [replicaSetOf('old', 2, 2, 0), replicaSetOf('new', 8, 8, 1)], replicaSetOf('new', 8, 8, 1)), 10);
  assert.equal(newRSNewReplicas(d, [replicaSetOf('old', 10, 10, 0), replicaSetOf('new', 3, 0, 1)], replicaSetOf('new', 3, 0, 1)), 3);
  assert.equal(newRSNewReplicas({ ...d, spec: { ...d.spec, strategy: { type: 'Recreate' } } }, [old], replicaSetOf('new', 0, 0, 1)), 10);
});

test('saturated: the new ReplicaSet has, believes in and makes available all replicas', () => {
  const d = deploymentOf(3);
  assert.equal(isSaturated(d, replicaSetOf('new', 3, 3, 0, ann(3, 4))), true);
  assert.equal(isSaturated(d, replicaSetOf('new', 3, 2, 0, ann(3, 4))), false);
  assert.equal(isSaturated(d, replicaSetOf('new', 3, 3, 0, ann(2, 3))), false);
  assert.equal(isSaturated(d, replicaSetOf('new', 3, 3, 0)), false);
});

test('a resize during a rollout is spread by share of max-replicas, the leftover to the largest', () => {
  // 3 old + 1 new under max-replicas 4; now 6 replicas + 1 surge = 7: old 3*7/4 → 5, new 1*7/4 → 2.
  const d = deploymentOf(6);
  assert.deepEqual(sizes(proportionalScale(d, replicaSetOf('new', 1, 0, 10, ann(3, 4)), [replicaSetOf('old', 3, 3, 0, ann(3, 4))])), ['old=5', 'new=2']);
  // Down from 10 (+3 surge = 13) to 5 (+2 surge = 7): old 8*7/13 → 4, new 5*7/13 → 3.
  const down = deploymentOf(5, '25%', '25%');
  assert.deepEqual(sizes(proportionalScale(down, replicaSetOf('new', 5, 0, 10, ann(10, 13)), [replicaSetOf('old', 8, 8, 0, ann(10, 13))])), ['old=4', 'new=3']);
  // Rounding leftovers go to the first in order: 3 + 3 under max 8, now 5 + 2 surge = 7: 3*7/8 → 3 each, the 1 left to the newer.
  assert.deepEqual(sizes(proportionalScale(deploymentOf(5, 2, 0), replicaSetOf('new', 3, 0, 10, ann(6, 8)), [replicaSetOf('old', 3, 3, 0, ann(6, 8))])), ['new=4', 'old=3']);
  // Scaling to zero empties everything.
  assert.deepEqual(sizes(proportionalScale(deploymentOf(0), replicaSetOf('new', 2, 0, 10, ann(3, 4)), [replicaSetOf('old', 2, 2, 0, ann(3, 4))])), ['old=0', 'new=0']);
});

test('old ReplicaSets: nothing while the new pods are unavailable and the budget is spent', () => {
  // upstream's example: 10 replicas, maxUnavailable 2, maxSurge 3, 5 new pods crash-looping.
  const d = deploymentOf(10, 3, 2);
  const newRS = replicaSetOf('new', 5, 0, 10);
  const old = replicaSetOf('old', 8, 8, 0);
  assert.deepEqual(oldReplicaSetsScaleDown(d, [old, newRS], [old], newRS), []);
});

test('old ReplicaSets: unhealthy replicas go first, then healthy ones down to minAvailable, oldest first', () => {
  const d = deploymentOf(10, 3, 2);
  const newRS = replicaSetOf('new', 5, 5, 10);
  const old = replicaSetOf('old', 8, 6, 0);
  // 13 pods, minAvailable 8: up to 5 may go; 2 unhealthy first, then 11 available - 8 = 3 healthy.
  assert.deepEqual(sizes(oldReplicaSetsScaleDown(d, [old, newRS], [old], newRS)), ['old=6', 'old=3']);
  const older = replicaSetOf('older', 2, 2, 0);
  const mid = replicaSetOf('mid', 2, 2, 5);
  assert.deepEqual(sizes(oldReplicaSetsScaleDown(deploymentOf(4, 1, 1), [older, mid, replicaSetOf('n', 1, 1, 10)], [older, mid], replicaSetOf('n', 1, 1, 10))), ['older=0']);
});
