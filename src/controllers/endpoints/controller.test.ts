// Integration test of the Endpoints and EndpointSlice controllers on an in-process API server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { R } from '../../client/types';
import { startEndpointSliceController } from '../endpointslice/index';
import { readyStatus, startTestbed, Testbed, until } from '../testing';
import type { Pod } from '../shared/types';
import type { Controller } from '../types';
import { startEndpointsController } from './index';

let tb: Testbed;
let cs: Controller[];
before(async () => {
  tb = await startTestbed();
  cs = [startEndpointsController(tb.deps), startEndpointSliceController(tb.deps)];
});
after(async () => {
  for (const c of cs ?? []) c.stop();
  await tb?.close();
});

async function runningPod(name: string, ip: string, ready: boolean): Promise<void> {
  const pods = tb.client.resource<Pod>(R.pods);
  const p = await pods.create('default', { metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } } as Pod);
  const status = { ...readyStatus(p, Date.now()), podIP: ip, podIPs: [{ ip }] };
  if (!ready) status.conditions = status.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
  await pods.updateStatus('default', { ...p, status });
}

const endpoints = () => tb.client.resource(R.endpoints).get('default', 'web').catch(() => undefined);
const slices = async () => (await tb.client.resource(R.endpointslices).list('default', { labelSelector: 'kubernetes.io/service-name=web' })).items;

test('a service with a selector gets Endpoints and an EndpointSlice tracking its pods', async () => {
  await tb.client.resource(R.services).create('default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  await runningPod('a', '10.244.0.5', true);
  await runningPod('b', '10.244.0.6', false);
  await until('endpoints with both pods', async () => {
    const ep = await endpoints();
    return ep?.subsets?.[0]?.addresses?.length === 1 && ep.subsets[0].notReadyAddresses?.length === 1;
  });
  const ep = (await endpoints()) as KObject;
  assert.equal(ep.subsets[0].addresses[0].ip, '10.244.0.5');
  assert.deepEqual(ep.subsets[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  await until('slice with both pods', async () => (await slices())[0]?.endpoints?.length === 2);
  const [slice] = await slices();
  assert.equal(slice.metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.deepEqual(
    slice.endpoints.map((e: { addresses: string[]; conditions: { ready: boolean } }) => [e.addresses[0], e.conditions.ready]),
    [
      ['10.244.0.5', true],
      ['10.244.0.6', false],
    ],
  );
  await tb.client.resource(R.pods).delete('default', 'a');
  await until('endpoints without the deleted pod', async () => (await endpoints())?.subsets?.[0]?.addresses === undefined);
  await until('slice without the deleted pod', async () => (await slices())[0]?.endpoints?.length === 1);
  assert.equal((await slices()).length, 1);
});

test('the kubernetes service (no selector) keeps its hand-written endpoints; a deleted service loses its Endpoints', async () => {
  await tb.client.resource(R.endpoints).create('default', { metadata: { name: 'kubernetes' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ name: 'https', port: 6443 }] }] });
  await tb.client.resource(R.services).delete('default', 'web');
  await until('endpoints deleted', async () => !(await endpoints()));
  const k = await tb.client.resource(R.endpoints).get('default', 'kubernetes');
  assert.equal(k.subsets[0].addresses[0].ip, '192.0.2.1');
});
