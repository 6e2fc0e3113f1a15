// Tests for the Service and Endpoints strategies: defaults, allocated-value patching, validation messages, rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../types';
import { endpointsStrategy } from './endpoints';
import { serviceStrategy } from './service';

const msgs = (errs: { field: string; message: string }[] = []) => errs.map((e) => `${e.field}: ${e.message}`);
const NOW = Date.parse('2024-01-01T12:00:00Z');
const svc = (spec: object): KObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T11:00:00Z' },
  spec,
});
const defaulted = (o: KObject) => {
  serviceStrategy.defaults!(o);
  return o;
};

test('service defaults', () => {
  const s = defaulted(svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }));
  assert.deepEqual(s.spec, {
    selector: { app: 'web' },
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  const np = defaulted(svc({ type: 'LoadBalancer', ports: [{ port: 80, targetPort: 'http' }] }));
  assert.equal(np.spec.externalTrafficPolicy, 'Cluster');
  assert.equal(np.spec.allocateLoadBalancerNodePorts, true);
  const headless = defaulted(svc({ clusterIP: 'None' }));
  assert.deepEqual(headless.spec.clusterIPs, ['None']);
  assert.equal(headless.spec.ipFamilyPolicy, 'RequireDualStack');
  const ext = defaulted(svc({ type: 'ExternalName', externalName: 'example.com' }));
  assert.equal(ext.spec.ipFamilies, undefined);
  assert.deepEqual(serviceStrategy.validate!(ext), []);
});

test('service validation messages', () => {
  assert.deepEqual(msgs(serviceStrategy.validate!(defaulted(svc({})))), ['spec.ports: Required value']);
  assert.deepEqual(serviceStrategy.validate!(defaulted(svc({ clusterIP: 'None' }))), []);
  const s = defaulted(svc({ type: 'Magic', ports: [{ port: 80, name: 'http' }, { port: 70000 }, { port: 80, name: 'http' }] }));
  assert.deepEqual(msgs(serviceStrategy.validate!(s)), [
    'spec.ports[1].name: Required value',
    'spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.ports[2].name: Duplicate value: "http"',
    'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    'spec.ports[2]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  ]);
  const bad = svc({ metadata: {}, ports: [{ port: 80 }] });
  bad.metadata.name = '1web';
  assert.match(msgs(serviceStrategy.validate!(defaulted(bad)))[0], /^metadata\.name: Invalid value: "1web": a DNS-1035 label/);
});

test('cluster IPs survive updates that omit them and never change', () => {
  const old = defaulted(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  old.spec.clusterIP = '10.96.0.10';
  old.spec.clusterIPs = ['10.96.0.10'];
  const next = defaulted(svc({ type: 'NodePort', ports: [{ port: 80 }] }));
  serviceStrategy.prepareForUpdate!(next, old);
  assert.equal(next.spec.clusterIP, '10.96.0.10');
  assert.deepEqual(next.spec.clusterIPs, ['10.96.0.10']);
  assert.equal(next.spec.ports[0].nodePort, 30080);
  const moved = structuredClone(next);
  moved.spec.clusterIP = '10.96.0.11';
  serviceStrategy.prepareForUpdate!(moved, old);
  assert.deepEqual(msgs(serviceStrategy.validateUpdate!(moved, old)), ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);
  const toClusterIP = structuredClone(next);
  toClusterIP.spec.type = 'ClusterIP';
  serviceStrategy.prepareForUpdate!(toClusterIP, old);
  assert.equal(toClusterIP.spec.ports[0].nodePort, undefined);
  assert.equal(toClusterIP.spec.externalTrafficPolicy, undefined);
  assert.deepEqual(serviceStrategy.validate!(toClusterIP), []);
});

test('service rows and field selectors', () => {
  const s = defaulted(svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }));
  s.spec.clusterIP = '10.96.0.10';
  s.spec.clusterIPs = ['10.96.0.10'];
  assert.deepEqual(serviceStrategy.row!(s, NOW), ['ClusterIP', '10.96.0.10', '<none>', '80/TCP', '60m', 'app=web']);
  const lb = defaulted(svc({ type: 'LoadBalancer', ports: [{ port: 443, nodePort: 31443 }] }));
  assert.deepEqual(serviceStrategy.row!(lb, NOW).slice(0, 4), ['LoadBalancer', '<none>', '<pending>', '443:31443/TCP']);
  assert.deepEqual(serviceStrategy.selectableFields!(s), { 'spec.clusterIP': '10.96.0.10', 'spec.type': 'ClusterIP' });
});

test('endpoints defaults, validation and row', () => {
  const ep: KObject = {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T11:59:00Z' },
    subsets: [{ addresses: [{ ip: '10.1.0.1' }, { ip: '10.1.0.2' }, { ip: '10.1.0.3' }, { ip: '10.1.0.4' }], ports: [{ port: 80 }] }],
  };
  endpointsStrategy.defaults!(ep);
  assert.equal(ep.subsets[0].ports[0].protocol, 'TCP');
  assert.deepEqual(endpointsStrategy.validate!(ep), []);
  assert.deepEqual(endpointsStrategy.row!(ep, NOW), ['10.1.0.1:80,10.1.0.2:80,10.1.0.3:80 + 1 more...', '60s']);
  ep.subsets[0].addresses[0].ip = '127.0.0.1';
  assert.deepEqual(msgs(endpointsStrategy.validate!(ep)), ['subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']);
});
