// Tests for Ingress, IngressClass, NetworkPolicy, PDB, RBAC, StorageClass, Lease, EndpointSlice and PriorityClass strategies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../types';
import { endpointSliceStrategy } from './endpointslice';
import { ingressStrategy } from './ingress';
import { ingressClassStrategy } from './ingressclass';
import { leaseStrategy } from './lease';
import { networkPolicyStrategy } from './networkpolicy';
import { podDisruptionBudgetStrategy } from './poddisruptionbudget';
import { priorityClassStrategy } from './priorityclass';
import { clusterRoleBindingStrategy, roleBindingStrategy, roleStrategy } from './rbac';
import { storageClassStrategy } from './storageclass';

const msgs = (errs: { field: string; message: string }[] = []) => errs.map((e) => `${e.field}: ${e.message}`);
const NOW = Date.parse('2024-01-01T12:00:00Z');
const meta = (namespace?: string) => ({ name: 'x', ...(namespace ? { namespace } : {}), creationTimestamp: '2024-01-01T11:00:00Z' });

test('ingress validation and row', () => {
  const ing: KObject = {
    metadata: meta('default'),
    spec: {
      ingressClassName: 'nginx',
      rules: [
        { host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } },
        { host: '10.0.0.1', http: { paths: [{ path: 'api', backend: { service: { name: 'web' } } }] } },
        { http: { paths: [{ path: 'api', pathType: 'Exact', backend: { service: { name: 'web' } } }] } },
      ],
      tls: [{ hosts: ['a.example.com'] }],
    },
  };
  assert.deepEqual(msgs(ingressStrategy.validate!(ing)), [
    'spec.rules[1].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    'spec.rules[1].http.paths[0].pathType: Required value: pathType must be specified',
    'spec.rules[2].http.paths[0].path: Invalid value: "api": must be an absolute path',
    'spec.rules[2].http.paths[0].backend: Required value: port name or number is required',
  ]);
  assert.deepEqual(msgs(ingressStrategy.validate!({ metadata: meta('default'), spec: {} })), [
    'spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
  ]);
  ing.status = { loadBalancer: { ingress: [{ ip: '192.168.1.50' }] } };
  assert.deepEqual(ingressStrategy.row!(ing, NOW), ['nginx', 'a.example.com,10.0.0.1', '192.168.1.50', '80, 443', '60m']);
});

test('ingress class controller and parameters', () => {
  const ic: KObject = { metadata: meta(), spec: { controller: 'nginx', parameters: { kind: 'Cfg', name: 'c' } } };
  ingressClassStrategy.defaults!(ic);
  assert.equal(ic.spec.parameters.scope, 'Cluster');
  assert.deepEqual(msgs(ingressClassStrategy.validate!(ic)), ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
  ic.spec.controller = 'k8s.io/ingress-nginx';
  assert.deepEqual(ingressClassStrategy.validate!(ic), []);
  assert.deepEqual(ingressClassStrategy.row!(ic, NOW), ['k8s.io/ingress-nginx', 'Cfg/c', '60m']);
  assert.deepEqual(msgs(ingressClassStrategy.validateUpdate!({ ...ic, spec: { ...ic.spec, controller: 'k8s.io/other' } }, ic)), [
    'spec.controller: Invalid value: "k8s.io/other": field is immutable',
  ]);
});

test('network policy defaults, peers and row', () => {
  const np: KObject = {
    metadata: meta('default'),
    spec: {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{}, { ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }], ports: [{ port: 5432 }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    },
  };
  networkPolicyStrategy.defaults!(np);
  assert.deepEqual(np.spec.policyTypes, ['Ingress', 'Egress']);
  assert.equal(np.spec.ingress[0].ports[0].protocol, 'TCP');
  assert.deepEqual(msgs(networkPolicyStrategy.validate!(np)), [
    'spec.ingress[0].from[0]: Required value: must specify a peer',
    'spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
  ]);
  assert.deepEqual(networkPolicyStrategy.row!(np, NOW), ['app=db', '60m']);
});

test('pod disruption budget', () => {
  const pdb: KObject = { metadata: meta('default'), spec: { minAvailable: 1, maxUnavailable: '150%', selector: { matchLabels: { app: 'web' } } } };
  assert.deepEqual(msgs(podDisruptionBudgetStrategy.validate!(pdb)), [
    'spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000000), Selector:(*v1.LabelSelector)(0xc000000000), MaxUnavailable:(*intstr.IntOrString)(0xc000000000), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set',
    'spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
  ]);
  podDisruptionBudgetStrategy.prepareForCreate!(pdb);
  assert.deepEqual(podDisruptionBudgetStrategy.row!({ ...pdb, spec: { minAvailable: '50%' } }, NOW), ['50%', 'N/A', 0, '60m']);
});

test('rbac rules, bindings and tables', () => {
  assert.deepEqual(msgs(roleStrategy.validate!({ metadata: meta('default'), rules: [{ resources: ['pods'] }] })), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
  ]);
  const rb: KObject = {
    metadata: meta('default'),
    roleRef: { kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' }, { kind: 'Robot', name: 'r' }],
  };
  roleBindingStrategy.defaults!(rb);
  assert.equal(rb.roleRef.apiGroup, 'rbac.authorization.k8s.io');
  assert.equal(rb.subjects[0].apiGroup, 'rbac.authorization.k8s.io');
  assert.deepEqual(msgs(roleBindingStrategy.validate!(rb)), ['subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"']);
  assert.deepEqual(roleBindingStrategy.row!(rb, NOW), ['ClusterRole/view', '60m', 'alice', '', 'ci/builder']);
  const changed = { ...rb, roleRef: { ...rb.roleRef, name: 'edit' } };
  assert.deepEqual(msgs(roleBindingStrategy.validateUpdate!(changed, rb)), [
    'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
  ]);
  const crb: KObject = { metadata: meta(), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] };
  assert.deepEqual(msgs(clusterRoleBindingStrategy.validate!(crb)), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[0].namespace: Required value',
  ]);
  assert.deepEqual(roleStrategy.row!({ metadata: meta('default') }, NOW), ['2024-01-01T11:00:00Z']);
});

test('storage class defaults, immutability and NAME cell', () => {
  const sc: KObject = { metadata: { ...meta(), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path' };
  storageClassStrategy.defaults!(sc);
  assert.equal(sc.reclaimPolicy, 'Delete');
  assert.equal(sc.volumeBindingMode, 'Immediate');
  assert.deepEqual(storageClassStrategy.validate!(sc), []);
  assert.deepEqual(storageClassStrategy.row!(sc, NOW), ['x (default)', 'rancher.io/local-path', 'Delete', 'Immediate', false, '60m']);
  assert.deepEqual(msgs(storageClassStrategy.validateUpdate!({ ...sc, provisioner: 'other.io/p' }, sc)), ['provisioner: Forbidden: updates to provisioner are forbidden.']);
  assert.deepEqual(msgs(storageClassStrategy.validate!({ metadata: meta(), volumeBindingMode: 'Immediate' })), ['provisioner: Required value']);
});

test('lease, endpoint slice and priority class', () => {
  assert.deepEqual(msgs(leaseStrategy.validate!({ metadata: meta('default'), spec: { leaseDurationSeconds: 0 } })), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
  ]);
  assert.deepEqual(leaseStrategy.row!({ metadata: meta('default'), spec: { holderIdentity: 'n1' } }, NOW), ['n1', '60m']);
  const es: KObject = { metadata: meta('default'), addressType: 'IPv4', endpoints: [{ addresses: ['10.1.0.1'] }, { addresses: [] }], ports: [{ port: 80 }] };
  endpointSliceStrategy.defaults!(es);
  assert.deepEqual(es.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  assert.deepEqual(msgs(endpointSliceStrategy.validate!(es)), ['endpoints[1].addresses: Required value: must contain at least 1 address']);
  assert.deepEqual(endpointSliceStrategy.row!(es, NOW), ['IPv4', '80', '10.1.0.1', '60m']);
  const pc: KObject = { metadata: meta(), value: 2000000000 };
  priorityClassStrategy.defaults!(pc);
  assert.equal(pc.preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual(msgs(priorityClassStrategy.validate!(pc)), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  assert.deepEqual(msgs(priorityClassStrategy.validateUpdate!({ ...pc, value: 1 }, pc)), ['value: Forbidden: may not be changed in an update.']);
  assert.deepEqual(priorityClassStrategy.row!(pc, NOW), [2000000000, false, '60m', 'PreemptLowerPriority']);
});
