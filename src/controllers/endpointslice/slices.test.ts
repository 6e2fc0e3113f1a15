// Tests of EndpointSlice planning: endpoints and conditions, one slice per port set, chunks of 100, placeholder, reuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import type { Pod } from '../shared/types';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, planSlices, SERVICE_NAME_LABEL } from './slices';

const svc: KObject = {
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', labels: { tier: 'front' } },
  spec: { clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
};

const pod = (i: number, opts: { ready?: boolean; deleting?: boolean; port?: number } = {}): Pod => ({
  metadata: { name: `p${i}`, namespace: 'ns', uid: `u${i}`, labels: { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: opts.port ?? 8080 }] }] },
  status: { phase: 'Running', podIP: `10.1.${Math.floor(i / 200)}.${i % 200}`, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});

const zone = () => 'zone-a';

test('a new service gets one slice with labels, owner, ports and endpoint conditions', () => {
  const plan = planSlices(svc, [pod(1), pod(2, { ready: false }), pod(3, { deleting: true })], [], zone);
  assert.equal(plan.create.length, 1);
  const s = plan.create[0];
  assert.equal(s.metadata.generateName, 'web-');
  assert.deepEqual(s.metadata.labels, { tier: 'front', [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME });
  assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
  assert.equal(s.addressType, 'IPv4');
  assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(
    s.endpoints.map((e: { targetRef: { name: string }; conditions: object }) => [e.targetRef.name, e.conditions]),
    [
      ['p1', { ready: true, serving: true, terminating: false }],
      ['p2', { ready: false, serving: false, terminating: false }],
      ['p3', { ready: false, serving: true, terminating: true }],
    ],
  );
  assert.equal(s.endpoints[0].zone, 'zone-a');
  assert.equal(s.endpoints[0].nodeName, 'n1');
});

test('pods serving a named port on different numbers go to different slices; more than 100 are chunked', () => {
  const pods = [...Array.from({ length: 150 }, (_, i) => pod(i)), pod(999, { port: 9090 })];
  const plan = planSlices(svc, pods, [], zone);
  assert.deepEqual(plan.create.map((s) => [s.ports[0].port, s.endpoints.length]).sort(), [
    [8080, 100],
    [8080, 50],
    [9090, 1],
  ]);
});

test('existing slices are updated in place, extras deleted, and equal ones left alone', () => {
  const first = planSlices(svc, [pod(1)], [], zone).create[0];
  const existing = { ...first, metadata: { ...first.metadata, name: 'web-abcde', resourceVersion: '3' } };
  assert.deepEqual(planSlices(svc, [pod(1)], [existing], zone), { create: [], update: [], delete: [], missingNodes: [] });
  const plan = planSlices(svc, [pod(1), pod(2)], [existing, { ...existing, metadata: { ...existing.metadata, name: 'web-zzzzz' } }], zone);
  assert.equal(plan.update.length, 1);
  assert.equal(plan.update[0].metadata.name, 'web-abcde');
  assert.equal(plan.update[0].endpoints.length, 2);
  assert.deepEqual(plan.delete.map((s) => s.metadata.name), ['web-zzzzz']);
});

test('no pods: one empty placeholder slice; slices not owned by the service are deleted', () => {
  const plan = planSlices(svc, [], [{ ...planSlices(svc, [pod(1)], [], zone).create[0], metadata: { name: 'web-old', ownerReferences: [] } }], zone);
  assert.equal(plan.create.length, 1);
  assert.deepEqual(plan.create[0].endpoints, []);
  assert.deepEqual(plan.create[0].ports, []);
  assert.deepEqual(plan.delete.map((s) => s.metadata.name), ['web-old']);
});

test('the placeholder is reused for the first real slice', () => {
  const placeholder = { ...planSlices(svc, [], [], zone).create[0], metadata: { ...planSlices(svc, [], [], zone).create[0].metadata, name: 'web-empty' } };
  const plan = planSlices(svc, [pod(1)], [placeholder], zone);
  assert.deepEqual([plan.create.length, plan.delete.length], [0, 0]);
  assert.equal(plan.update[0].metadata.name, 'web-empty');
  assert.equal(plan.update[0].endpoints.length, 1);
});

test('pods on unknown nodes are left out and reported', () => {
  const plan = planSlices(svc, [pod(1)], [], () => undefined);
  assert.deepEqual(plan.missingNodes, ['n1']);
  assert.deepEqual(plan.create[0].endpoints, []);
});
