// ReplicaSet decisions: create/delete counts with the burst cap, the deletion order, and the status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, ReplicaSet } from '../shared/types';
import { BURST_REPLICAS, calculateStatus, filterActivePods, podsToCreate, podsToDelete, statusNeedsUpdate } from './reconcile';

const NOW = Date.parse('2024-01-01T12:00:00Z');
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString().replace('.000Z', 'Z');

const rs = (replicas: number, extra: Partial<ReplicaSet['spec']> = {}, status?: ReplicaSet['status']): ReplicaSet => ({
  metadata: { name: 'web-abc', namespace: 'ns', uid: 'rs', generation: 2 },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'fe' } } }, ...extra },
  status,
});

function pod(name: string, o: { node?: string; readyAgo?: number; labels?: Record<string, string>; phase?: string; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name, namespace: 'ns', uid: name, labels: o.labels ?? { app: 'web', tier: 'fe' }, creationTimestamp: iso(3_600_000), deletionTimestamp: o.deleting ? iso(0) : undefined },
    spec: { containers: [], nodeName: o.node },
    status: { phase: o.phase ?? 'Running', conditions: o.readyAgo !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.readyAgo) }] : [] },
  };
}

test('finished and terminating pods do not count', () => {
  const active = filterActivePods([pod('a'), pod('b', { phase: 'Succeeded' }), pod('c', { phase: 'Failed' }), pod('d', { deleting: true })]);
  assert.deepEqual(
    active.map((p) => p.metadata.name),
    ['a'],
  );
});

test('creates: the shortfall, at most BURST_REPLICAS per sync', () => {
  assert.equal(podsToCreate(rs(3), [pod('a')]), 2);
  assert.equal(podsToCreate(rs(3), [pod('a'), pod('b'), pod('c'), pod('d')]), 0);
  assert.equal(podsToCreate(rs(1000), []), BURST_REPLICAS);
});

test('deletes: the surplus, least valuable first, pods doubled up with related pods before lone ones', () => {
  const pods = [pod('ready-old', { node: 'n1', readyAgo: 3_600_000 }), pod('unscheduled'), pod('not-ready', { node: 'n2' }), pod('ready-new', { node: 'n3', readyAgo: 10_000 })];
  assert.deepEqual(
    podsToDelete(rs(1), pods, [], NOW).map((p) => p.metadata.name),
    ['unscheduled', 'not-ready', 'ready-new'],
  );
  assert.deepEqual(podsToDelete(rs(4), pods, [], NOW), []);
  // Two ready pods of the same age: the one sharing its node with a related pod goes.
  const a = pod('a', { node: 'n1', readyAgo: 60_000 });
  const b = pod('b', { node: 'n2', readyAgo: 60_000 });
  assert.deepEqual(
    podsToDelete(rs(1), [a, b], [a, b, pod('other-rs', { node: 'n2' })], NOW).map((p) => p.metadata.name),
    ['b'],
  );
});

test('status: counts of replicas, fully labeled, ready and available (minReadySeconds)', () => {
  const pods = [pod('a', { readyAgo: 60_000 }), pod('b', { readyAgo: 5_000 }), pod('c', { labels: { app: 'web' } })];
  assert.deepEqual(calculateStatus(rs(3, { minReadySeconds: 30 }), pods, undefined, NOW), { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1 });
  // Zero counts are left out; replicas is always there.
  assert.deepEqual(calculateStatus(rs(0), [], undefined, NOW), { replicas: 0 });
});

test('status: ReplicaFailure while creating fails, removed once a sync succeeds', () => {
  const failed = calculateStatus(rs(2), [], new Error('pods "web-" is forbidden: exceeded quota'), NOW);
  assert.deepEqual(failed.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: iso(0), reason: 'FailedCreate', message: 'pods "web-" is forbidden: exceeded quota' }]);
  assert.equal(calculateStatus(rs(0), [pod('a')], new Error('x'), NOW).conditions![0].reason, 'FailedDelete');
  assert.equal(calculateStatus(rs(2, {}, failed), [], undefined, NOW).conditions, undefined);
  // An existing failure condition is kept as it is (its time included).
  assert.deepEqual(calculateStatus(rs(2, {}, failed), [], new Error('other'), NOW + 5000).conditions, failed.conditions);
});

test('status write is skipped in the steady state only', () => {
  const steady = rs(1, {}, { replicas: 1, fullyLabeledReplicas: 1, observedGeneration: 2 });
  assert.equal(statusNeedsUpdate(steady, { replicas: 1, fullyLabeledReplicas: 1 }), false);
  assert.equal(statusNeedsUpdate(steady, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1 }), true);
  assert.equal(statusNeedsUpdate({ ...steady, metadata: { ...steady.metadata, generation: 3 } }, { replicas: 1, fullyLabeledReplicas: 1 }), true);
});
