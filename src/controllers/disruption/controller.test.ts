// Integration test of the disruption controller: PDB status from pods and their controller's scale.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/types';
import { readyStatus, startTestbed, Testbed, until } from '../testing';
import type { Pod } from '../shared/types';
import type { Controller } from '../types';
import { startDisruptionController } from './index';

let tb: Testbed;
let c: Controller;
before(async () => {
  tb = await startTestbed();
  c = startDisruptionController(tb.deps);
});
after(async () => {
  c?.stop();
  await tb?.close();
});

test('a percentage budget uses the ReplicaSet scale; status and condition follow pods becoming ready', async () => {
  const rs = await tb.client.resource(R.replicasets).create('default', {
    metadata: { name: 'db' },
    spec: { replicas: 4, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  const pods = tb.client.resource<Pod>(R.pods);
  for (const i of [1, 2, 3]) {
    const p = await pods.create('default', {
      metadata: { name: `db-${i}`, labels: { app: 'db' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'db', uid: rs.metadata.uid!, controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    } as Pod);
    await pods.updateStatus('default', { ...p, status: readyStatus(p, Date.now()) });
  }
  await tb.client.resource(R.poddisruptionbudgets).create('default', { metadata: { name: 'db' }, spec: { maxUnavailable: '50%', selector: { matchLabels: { app: 'db' } } } });
  const get = () => tb.client.resource(R.poddisruptionbudgets).get('default', 'db');
  await until('status computed', async () => (await get()).status?.expectedPods === 4);
  const { status } = await get();
  assert.deepEqual([status.currentHealthy, status.desiredHealthy, status.disruptionsAllowed, status.observedGeneration], [3, 2, 1, 1]);
  assert.deepEqual(status.conditions.map((x: { reason: string; status: string }) => [x.reason, x.status]), [['SufficientPods', 'True']]);
  await pods.delete('default', 'db-1');
  await pods.delete('default', 'db-2');
  await until('no disruption allowed', async () => (await get()).status?.currentHealthy === 1);
  const after = (await get()).status;
  assert.equal(after.disruptionsAllowed, 0);
  assert.equal(after.conditions[0].reason, 'InsufficientPods');
});
