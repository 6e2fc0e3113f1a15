// Tests of PDB math: expected and desired counts from ints and percentages, healthy pods, disrupted pods, status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../shared/types';
import { buildDisruptedPodMap, countHealthyPods, DELETION_TIMEOUT_MS, expectedPodCount, failSafeStatus, pdbStatus, PDB, scaledValue } from './budget';

const NOW = Date.parse('2024-01-01T00:10:00Z');

const pod = (name: string, ready = true, owner = 'rs-uid'): Pod => ({
  metadata: { name, namespace: 'ns', ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true }] : [] },
  spec: { containers: [] },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

const pdb = (spec: object, status?: object): PDB => ({ metadata: { name: 'db', namespace: 'ns', generation: 1 }, spec: { selector: { matchLabels: { app: 'db' } }, ...spec }, ...(status ? { status } : {}) }) as PDB;

const scaleOf = (n: number) => () => ({ uid: 'deploy-uid', scale: n });

test('scaled values round as upstream', () => {
  assert.equal(scaledValue(3, 10, true), 3);
  assert.equal(scaledValue('25%', 10, true), 3);
  assert.equal(scaledValue('25%', 10, false), 2);
});

test('minAvailable as an int counts the selected pods; as a percentage uses the controller scale', () => {
  const pods = [pod('a'), pod('b'), pod('c')];
  assert.deepEqual(expectedPodCount(pdb({ minAvailable: 2 }), pods, scaleOf(5)), { expectedCount: 3, desiredHealthy: 2, unmanagedPods: [] });
  assert.deepEqual(expectedPodCount(pdb({ minAvailable: '50%' }), pods, scaleOf(5)), { expectedCount: 5, desiredHealthy: 3, unmanagedPods: [] });
});

test('maxUnavailable subtracts from the controller scale; unmanaged pods are reported; missing controllers fail', () => {
  assert.deepEqual(expectedPodCount(pdb({ maxUnavailable: 1 }), [pod('a'), pod('b', true, '')], scaleOf(4)), { expectedCount: 4, desiredHealthy: 3, unmanagedPods: ['b'] });
  assert.deepEqual(expectedPodCount(pdb({ maxUnavailable: '30%' }), [pod('a')], scaleOf(4)).desiredHealthy, 2);
  assert.throws(() => expectedPodCount(pdb({ maxUnavailable: 1 }), [pod('a')], () => undefined), /found no controllers for pod "a"/);
});

test('healthy pods exclude unready, deleting and recently evicted pods', () => {
  const deleting = pod('d');
  deleting.metadata.deletionTimestamp = '2024-01-01T00:09:00Z';
  const pods = [pod('a'), pod('b', false), deleting, pod('e')];
  assert.equal(countHealthyPods(pods, { e: '2024-01-01T00:09:30Z' }, NOW), 1);
});

test('disrupted pods expire after the deletion timeout and set a recheck time', () => {
  const recent = new Date(NOW - 30_000).toISOString();
  const old = new Date(NOW - DELETION_TIMEOUT_MS - 1000).toISOString();
  const m = buildDisruptedPodMap([pod('a'), pod('b')], pdb({}, { disruptedPods: { a: recent, b: old, gone: recent } }), NOW);
  assert.deepEqual(Object.keys(m.disrupted), ['a']);
  assert.equal(m.recheckAt, NOW - 30_000 + DELETION_TIMEOUT_MS);
  assert.deepEqual(m.overdue.map((p) => p.metadata.name), ['b']);
});

test('status: allowed disruptions with the DisruptionAllowed condition; unchanged status is not rewritten', () => {
  const s = pdbStatus(pdb({ minAvailable: 1 }), 3, 1, 3, {}, NOW)!;
  assert.equal(s.disruptionsAllowed, 2);
  assert.equal(s.observedGeneration, 1);
  assert.deepEqual(s.conditions?.map((c) => [c.type, c.status, c.reason]), [['DisruptionAllowed', 'True', 'SufficientPods']]);
  assert.equal(pdbStatus(pdb({ minAvailable: 1 }, s), 3, 1, 3, {}, NOW + 1000), undefined);
  const none = pdbStatus(pdb({ minAvailable: 1 }, s), 1, 1, 3, {}, NOW + 1000)!;
  assert.equal(none.disruptionsAllowed, 0);
  assert.deepEqual(none.conditions?.map((c) => [c.status, c.reason]), [['False', 'InsufficientPods']]);
  // With no expected pods nothing may be disrupted.
  assert.equal(pdbStatus(pdb({}), 2, 0, 0, {}, NOW)!.disruptionsAllowed, 0);
});

test('fail safe: no disruptions and a SyncFailed condition', () => {
  const s = failSafeStatus(pdb({ maxUnavailable: 1 }, { disruptionsAllowed: 2, currentHealthy: 3, desiredHealthy: 1, expectedPods: 3 }), 'boom', NOW);
  assert.equal(s.disruptionsAllowed, 0);
  assert.deepEqual(s.conditions?.map((c) => [c.status, c.reason, c.message]), [['False', 'SyncFailed', 'boom']]);
});
