// Integration test of the ResourceQuota controller: status.hard and status.used follow the namespace's objects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/types';
import { startTestbed, Testbed, until } from '../testing';
import type { Controller } from '../types';
import { startResourceQuotaController } from './index';

let tb: Testbed;
let c: Controller;
before(async () => {
  tb = await startTestbed();
  c = startResourceQuotaController(tb.deps);
});
after(async () => {
  c?.stop();
  await tb?.close();
});

test('usage counts pods, their requests, config maps and deployments, and follows deletions', async () => {
  await tb.client.resource(R.resourcequotas).create('default', {
    metadata: { name: 'q' },
    spec: { hard: { pods: '10', 'requests.cpu': '2', 'requests.memory': '1Gi', configmaps: '5', 'count/deployments.apps': '3' } },
  });
  const pods = tb.client.resource(R.pods);
  for (const i of [1, 2]) {
    await pods.create('default', { metadata: { name: `p${i}` }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '250m', memory: '64Mi' } } }] } });
  }
  await tb.client.resource(R.configmaps).create('default', { metadata: { name: 'cm' } });
  const get = () => tb.client.resource(R.resourcequotas).get('default', 'q');
  await until('usage counted', async () => (await get()).status?.used?.pods === '2' && (await get()).status?.used?.configmaps === '1');
  const { status } = await get();
  assert.deepEqual(status.hard, { pods: '10', 'requests.cpu': '2', 'requests.memory': '1Gi', configmaps: '5', 'count/deployments.apps': '3' });
  assert.deepEqual(status.used, { pods: '2', 'requests.cpu': '500m', 'requests.memory': '128Mi', configmaps: '1', 'count/deployments.apps': '0' });
  await pods.delete('default', 'p1');
  await until('deletion counted', async () => (await get()).status?.used?.pods === '1');
});
