// Tests of pods/eviction: budgets allow, refuse with 429 and are charged, as upstream's EvictionREST.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { R } from '../../client/types';
import { StatusError } from '../../machinery/errors';
import { rfc3339 } from '../../util/clock';
import { startTestApi, TestApi } from '../testing';
import { budgetsFor, canIgnorePDB, takeDisruption } from './eviction';

let t: TestApi;
before(async () => {
  // createApiServer registers pods/eviction.
  t = await startTestApi();
});
after(async () => t?.close());

const eviction = (name: string, deleteOptions?: object): KObject => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, ...(deleteOptions ? { deleteOptions } : {}) });

async function runningPod(name: string, ready = true): Promise<void> {
  const pods = t.client.resource(R.pods);
  const p = await pods.create('default', { metadata: { name, labels: { app: 'db' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } });
  const now = rfc3339(Date.now());
  await pods.updateStatus('default', { ...p, status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }] } });
}

async function budget(name: string, status: object, generation = 1): Promise<void> {
  const pdbs = t.client.resource(R.poddisruptionbudgets);
  const pdb = await pdbs.create('default', { metadata: { name }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } });
  await pdbs.updateStatus('default', { ...pdb, status: { observedGeneration: generation, ...status } });
}

const evict = (name: string, opts?: object) => t.client.resource(R.pods).createSubresource('default', name, 'eviction', eviction(name, opts));

test('pure parts: which pods skip budgets, which budgets cover a pod, taking a disruption', () => {
  assert.equal(canIgnorePDB({ metadata: {}, status: { phase: 'Pending' } }), true);
  assert.equal(canIgnorePDB({ metadata: {}, status: { phase: 'Running' } }), false);
  const pod = { metadata: { labels: { app: 'db' } } };
  const pdbs = [{ metadata: { name: 'a' }, spec: { selector: { matchLabels: { app: 'db' } } } }, { metadata: { name: 'empty' }, spec: { selector: {} } }, { metadata: { name: 'other' }, spec: { selector: { matchLabels: { app: 'x' } } } }];
  assert.deepEqual(budgetsFor(pod, pdbs).map((p) => p.metadata.name), ['a']);
  const taken = takeDisruption({ metadata: { name: 'a', generation: 1 }, status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } }, 'p1', Date.parse('2024-01-01T00:00:00Z'));
  assert.equal(taken.status.disruptionsAllowed, 0);
  assert.deepEqual(taken.status.disruptedPods, { p1: '2024-01-01T00:00:00Z' });
  assert.equal(taken.status.conditions[0].reason, 'InsufficientPods');
  assert.throws(() => takeDisruption({ metadata: { name: 'a', generation: 2 }, status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1 } }, 'p', 0), (e: StatusError) => e.code === 429 && e.details?.retryAfterSeconds === 10);
});

test('a pod without a budget is deleted', async () => {
  await runningPod('free');
  const out = await evict('free', { gracePeriodSeconds: 0 });
  assert.equal(out.status, 'Success');
  await assert.rejects(t.client.resource(R.pods).get('default', 'free'), (e: StatusError) => e.code === 404);
});

test('a budget allowing one disruption lets one eviction through, then answers 429 with a DisruptionBudget cause', async () => {
  await runningPod('db-1');
  await runningPod('db-2');
  await budget('db', { currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1 });
  await evict('db-1', { gracePeriodSeconds: 0 });
  const pdb = await t.client.resource(R.poddisruptionbudgets).get('default', 'db');
  assert.equal(pdb.status.disruptionsAllowed, 0);
  assert.ok(pdb.status.disruptedPods['db-1']);
  await assert.rejects(evict('db-2'), (e: StatusError) => {
    assert.equal(e.code, 429);
    assert.equal(e.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    return true;
  });
  await t.client.resource(R.pods).get('default', 'db-2');
  await t.client.resource(R.poddisruptionbudgets).delete('default', 'db');
  await t.client.resource(R.pods).delete('default', 'db-2', { gracePeriodSeconds: 0 });
});

test('the refusal names the budget in a DisruptionBudget cause, without a retry delay', async () => {
  await runningPod('db-3');
  await budget('db3', { currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, disruptionsAllowed: 0 });
  await assert.rejects(evict('db-3'), (e: StatusError) => {
    assert.equal(e.code, 429);
    assert.equal(e.details?.retryAfterSeconds, undefined);
    assert.deepEqual(e.details?.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget db3 needs 1 healthy pods and has 1 currently' }]);
    return true;
  });
  await t.client.resource(R.poddisruptionbudgets).delete('default', 'db3');
  await t.client.resource(R.pods).delete('default', 'db-3', { gracePeriodSeconds: 0 });
});

test('an unready pod is evicted without taking a disruption when the budget is met', async () => {
  await runningPod('db-4');
  await runningPod('db-5', false);
  await budget('db45', { currentHealthy: 1, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 0 });
  await evict('db-5', { gracePeriodSeconds: 0 });
  const pdb = await t.client.resource(R.poddisruptionbudgets).get('default', 'db45');
  assert.equal(pdb.status.disruptionsAllowed, 0);
  assert.equal(pdb.status.disruptedPods, undefined);
  await t.client.resource(R.poddisruptionbudgets).delete('default', 'db45');
});

test('a name mismatch is a 400', async () => {
  await assert.rejects(t.client.resource(R.pods).createSubresource('default', 'x', 'eviction', eviction('y')), (e: StatusError) => e.code === 400);
});
