// Tests of Endpoints computation: ready and not-ready addresses, named target ports per pod, hostnames, packing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import type { Pod } from '../shared/types';
import { computeSubsets, desiredEndpoints, MAX_ENDPOINTS, truncate } from './subsets';

const svc = (spec: object = {}, meta: object = {}): KObject => ({
  metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' }, ...meta },
  spec: { clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], ...spec },
});

const pod = (name: string, ip: string, opts: { ready?: boolean; port?: number; deleting?: boolean; phase?: string; hostname?: string } = {}): Pod => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  spec: {
    nodeName: 'n1',
    ...(opts.hostname ? { hostname: opts.hostname, subdomain: 'web' } : {}),
    containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: opts.port ?? 8080, protocol: 'TCP' }] }],
  },
  status: { phase: opts.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});

const target = (name: string) => ({ kind: 'Pod', namespace: 'ns', name, uid: `uid-${name}` });

test('ready and not-ready pods, named ports resolved per pod', () => {
  const subsets = computeSubsets(svc(), [pod('a', '10.0.0.2'), pod('b', '10.0.0.1', { ready: false }), pod('c', '10.0.0.3', { port: 9090 })]);
  assert.deepEqual(subsets, [
    {
      addresses: [{ ip: '10.0.0.2', nodeName: 'n1', targetRef: target('a') }],
      notReadyAddresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: target('b') }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
    { addresses: [{ ip: '10.0.0.3', nodeName: 'n1', targetRef: target('c') }], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
  ]);
});

test('terminating, finished and IP-less pods are left out; publishNotReadyAddresses makes every address ready', () => {
  const noIP = pod('d', '');
  assert.deepEqual(computeSubsets(svc(), [pod('a', '10.0.0.1', { deleting: true }), pod('b', '10.0.0.2', { phase: 'Succeeded' }), noIP]), []);
  const subsets = computeSubsets(svc({ publishNotReadyAddresses: true }), [pod('a', '10.0.0.1', { ready: false }), pod('b', '10.0.0.2', { deleting: true })]);
  assert.equal(subsets[0].addresses?.length, 2);
  assert.equal(subsets[0].notReadyAddresses, undefined);
});

test('a numeric target port; a pod lacking a named port is skipped for that port', () => {
  const s = svc({ ports: [{ name: 'a', port: 80, targetPort: 8080, protocol: 'TCP' }, { name: 'b', port: 81, targetPort: 'metrics', protocol: 'TCP' }] });
  const subsets = computeSubsets(s, [pod('a', '10.0.0.1')]);
  assert.deepEqual(subsets[0].ports, [{ name: 'a', port: 8080, protocol: 'TCP' }]);
});

test('headless services: hostnames for pods in their subdomain, addresses without ports', () => {
  const subsets = computeSubsets(svc({ clusterIP: 'None', ports: [] }), [pod('a', '10.0.0.1', { hostname: 'a-0' })]);
  assert.deepEqual(subsets, [{ addresses: [{ ip: '10.0.0.1', hostname: 'a-0', nodeName: 'n1', targetRef: target('a') }] }]);
});

test('desired Endpoints: service labels plus the headless label; unchanged when equal', () => {
  const ep = desiredEndpoints(svc({ clusterIP: 'None' }), [pod('a', '10.0.0.1')], undefined)!;
  assert.deepEqual(ep.metadata.labels, { app: 'web', 'service.kubernetes.io/headless': '' });
  assert.equal(desiredEndpoints(svc({ clusterIP: 'None' }), [pod('a', '10.0.0.1')], { ...ep, metadata: { ...ep.metadata, resourceVersion: '5' } }), undefined);
  assert.ok(desiredEndpoints(svc({ clusterIP: 'None' }), [pod('a', '10.0.0.1', { ready: false })], ep));
});

test('more than 1000 addresses are truncated', () => {
  const addresses = Array.from({ length: MAX_ENDPOINTS + 10 }, (_, i) => ({ ip: `10.0.${Math.floor(i / 250)}.${i % 250}` }));
  const out = truncate([{ addresses, ports: [] }]);
  assert.equal(out.truncated, true);
  assert.equal(out.subsets[0].addresses!.length, MAX_ENDPOINTS);
});
