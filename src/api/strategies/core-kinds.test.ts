// Tests for ConfigMap, Secret, ServiceAccount, Namespace, Node, PV, PVC, ResourceQuota, LimitRange and Event strategies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../types';
import { configMapStrategy } from './configmap';
import { eventStrategy, eventsV1Strategy } from './event';
import { limitRangeStrategy } from './limitrange';
import { namespaceStrategy } from './namespace';
import { nodeStrategy } from './node';
import { persistentVolumeStrategy } from './persistentvolume';
import { persistentVolumeClaimStrategy } from './persistentvolumeclaim';
import { resourceQuotaStrategy } from './resourcequota';
import { secretStrategy } from './secret';
import { serviceAccountStrategy } from './serviceaccount';

const msgs = (errs: { field: string; message: string }[] = []) => errs.map((e) => `${e.field}: ${e.message}`);
const NOW = Date.parse('2024-01-01T12:00:00Z');
const meta = (namespace?: string) => ({ name: 'x', ...(namespace ? { namespace } : {}), creationTimestamp: '2024-01-01T10:00:00Z' });

test('configmap keys, size, immutability and row', () => {
  const cm: KObject = { metadata: meta('default'), data: { 'a.b': '1', 'bad key': '2' }, binaryData: { 'a.b': 'AA==' } };
  assert.deepEqual(msgs(configMapStrategy.validate!(cm)), [
    'data[a.b]: Invalid value: "a.b": duplicate of key present in binaryData',
    "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    'binaryData[a.b]: Invalid value: "a.b": duplicate of key present in data',
  ]);
  assert.deepEqual(msgs(configMapStrategy.validate!({ metadata: meta('default'), data: { big: 'x'.repeat(1024 * 1024 + 1) } })), [
    ': Too long: may not be more than 1048576 bytes',
  ]);
  const old: KObject = { metadata: meta('default'), data: { a: '1' }, immutable: true };
  assert.deepEqual(msgs(configMapStrategy.validateUpdate!({ ...old, data: { a: '2' } }, old)), ['data: Forbidden: field is immutable when `immutable` is set']);
  assert.deepEqual(configMapStrategy.row!(cm, NOW), [3, '120m']);
});

test('secret defaults, stringData, types and 400 on bad base64', () => {
  const s: KObject = { metadata: meta('default'), stringData: { user: 'admin' } };
  secretStrategy.defaults!(s);
  assert.equal(s.type, 'Opaque');
  assert.deepEqual(s.data, { user: 'YWRtaW4=' });
  assert.equal(s.stringData, undefined);
  assert.deepEqual(secretStrategy.row!(s, NOW), ['Opaque', 1, '120m']);
  assert.deepEqual(secretStrategy.selectableFields!(s), { type: 'Opaque' });
  const tls: KObject = { metadata: meta('default'), type: 'kubernetes.io/tls', data: {} };
  assert.deepEqual(msgs(secretStrategy.validate!(tls)), ['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
  assert.deepEqual(msgs(secretStrategy.validateUpdate!({ ...s, type: 'x' }, s)), ['type: Invalid value: "x": field is immutable']);
  assert.throws(() => secretStrategy.defaults!({ metadata: meta('default'), data: { a: 'not base64!' } }), {
    message: 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
  });
});

test('service account row', () => {
  assert.deepEqual(serviceAccountStrategy.row!({ metadata: meta('default'), secrets: [{ name: 's' }] }, NOW), [1, '120m']);
});

test('namespace label, phase, finalizer and name rules', () => {
  const ns: KObject = { metadata: { name: 'team-a' } };
  namespaceStrategy.defaults!(ns);
  namespaceStrategy.prepareForCreate!(ns);
  assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'team-a' });
  assert.deepEqual(ns.status, { phase: 'Active' });
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(namespaceStrategy.selectableFields!(ns), { 'status.phase': 'Active' });
  assert.match(msgs(namespaceStrategy.validate!({ metadata: { name: 'a.b' } }))[0], /^metadata\.name: Invalid value: "a\.b": must not contain dots$/);
  assert.deepEqual(msgs(namespaceStrategy.validate!({ metadata: { name: 'x' }, spec: { finalizers: ['mine'] } })), [
    'spec.finalizers: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified',
  ]);
});

test('node defaults, taints, updates and row', () => {
  const node: KObject = {
    metadata: { name: 'n1', creationTimestamp: '2024-01-01T10:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '' } },
    spec: { podCIDR: '10.244.0.0/24', unschedulable: true, taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'a', effect: 'NoSchedule' }] },
    status: {
      capacity: { cpu: '4', memory: '8Gi' },
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '192.168.1.10' }],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'containerd://1.7' },
    },
  };
  nodeStrategy.defaults!(node);
  assert.deepEqual(node.spec.podCIDRs, ['10.244.0.0/24']);
  assert.deepEqual(node.status.allocatable, { cpu: '4', memory: '8Gi' });
  assert.deepEqual(msgs(nodeStrategy.validate!(node)), [
    'spec.taints[1]: Duplicate value: core.Taint{Key:"a", Value:"", Effect:"NoSchedule", TimeAdded:<nil>}: taints must be unique by key and effect pair',
  ]);
  const moved = structuredClone(node);
  moved.spec.podCIDRs = ['10.244.1.0/24'];
  assert.deepEqual(msgs(nodeStrategy.validateUpdate!(moved, node)), ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
  assert.deepEqual(nodeStrategy.row!(node, NOW), ['Ready,SchedulingDisabled', 'control-plane', '120m', 'v1.32.0', '192.168.1.10', '<none>', 'Debian', '6.1', 'containerd://1.7']);
  assert.deepEqual(nodeStrategy.selectableFields!(node), { 'spec.unschedulable': 'true' });
});

test('persistent volumes and claims', () => {
  const pv: KObject = { metadata: meta(), spec: { capacity: { storage: '1024Mi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], hostPath: { path: '/data' } } };
  persistentVolumeStrategy.defaults!(pv);
  persistentVolumeStrategy.prepareForCreate!(pv);
  assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain');
  assert.equal(pv.spec.volumeMode, 'Filesystem');
  assert.equal(pv.spec.capacity.storage, '1Gi');
  assert.deepEqual(persistentVolumeStrategy.validate!(pv), []);
  assert.deepEqual(persistentVolumeStrategy.row!(pv, NOW), ['1Gi', 'RWO,ROX', 'Retain', 'Pending', '', '', '<unset>', '', '120m', 'Filesystem']);
  assert.deepEqual(msgs(persistentVolumeStrategy.validate!({ metadata: meta(), spec: { persistentVolumeReclaimPolicy: 'Retain' } })), [
    'spec.accessModes: Required value',
    'spec.capacity: Required value',
    'spec: Required value: must specify a volume type',
  ]);
  const pvc: KObject = { metadata: meta('default'), spec: { accessModes: [], resources: {} } };
  persistentVolumeClaimStrategy.defaults!(pvc);
  assert.deepEqual(msgs(persistentVolumeClaimStrategy.validate!(pvc)), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
  const bound: KObject = { metadata: meta('default'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: 'pv1', storageClassName: 'standard' } };
  persistentVolumeClaimStrategy.defaults!(bound);
  bound.status = { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] };
  assert.deepEqual(persistentVolumeClaimStrategy.row!(bound, NOW), ['Bound', 'pv1', '1Gi', 'RWO', 'standard', '<unset>', '120m', 'Filesystem']);
  const shrunk = structuredClone(bound);
  shrunk.spec.resources.requests.storage = '500Mi';
  assert.deepEqual(msgs(persistentVolumeClaimStrategy.validateUpdate!(shrunk, bound)), ['spec.resources.requests.storage: Forbidden: field can not be less than previous value']);
});

test('resource quota names, values and row', () => {
  const rq: KObject = { metadata: meta('default'), spec: { hard: { pods: '10', 'limits.cpu': '4', frobs: '1' } } };
  resourceQuotaStrategy.defaults!(rq);
  assert.deepEqual(msgs(resourceQuotaStrategy.validate!(rq)), ['spec.hard[frobs]: Invalid value: "frobs": must be a standard resource type or fully qualified']);
  rq.status = { hard: { pods: '10', 'limits.cpu': '4' }, used: { pods: '2', 'limits.cpu': '500m' } };
  assert.deepEqual(resourceQuotaStrategy.row!(rq, NOW), ['pods: 2/10', 'limits.cpu: 500m/4', '120m']);
});

test('limit range defaults and ordering checks', () => {
  const lr: KObject = { metadata: meta('default'), spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '2' } }] } };
  limitRangeStrategy.defaults!(lr);
  assert.deepEqual(lr.spec.limits[0].default, { cpu: '1' });
  assert.deepEqual(lr.spec.limits[0].defaultRequest, { cpu: '1' });
  assert.deepEqual(msgs(limitRangeStrategy.validate!(lr)), [
    'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
    'spec.limits[0].defaultRequest[cpu]: Invalid value: "1": min value 2 is greater than default request value 1',
    'spec.limits[0].default[cpu]: Invalid value: "2": min value 2 is greater than default value 1',
  ]);
  assert.deepEqual(limitRangeStrategy.row!(lr, NOW), ['2024-01-01T10:00:00Z']);
});

test('core events: normalization, validation, row, selectors', () => {
  const e: KObject = {
    metadata: { name: 'web.17a', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{c}' },
    reason: 'Pulled',
    message: 'pulled image ',
    source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: '2024-01-01T11:00:00Z',
    lastTimestamp: '2024-01-01T11:58:00Z',
    count: 3,
    type: 'Normal',
  };
  eventStrategy.defaults!(e);
  assert.equal(e.eventTime, null);
  assert.equal(e.reportingComponent, '');
  assert.deepEqual(eventStrategy.validate!(e), []);
  assert.deepEqual(eventStrategy.row!(e, NOW), ['2m', 'Normal', 'Pulled', 'pod/web', 'spec.containers{c}', 'kubelet, n1', 'pulled image', '60m', 3, 'web.17a']);
  assert.equal(eventStrategy.selectableFields!(e)['involvedObject.name'], 'web');
  assert.equal(eventStrategy.selectableFields!(e).source, 'kubelet');
  const wrong = { ...e, involvedObject: { ...e.involvedObject, namespace: 'other' } };
  assert.deepEqual(msgs(eventStrategy.validate!(wrong)), ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
});

test('events.k8s.io events are validated strictly', () => {
  const e: KObject = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'web.17b', namespace: 'default' },
    regarding: { kind: 'Pod', name: 'web', namespace: 'default' },
    reason: 'Scheduled',
    note: 'assigned',
    type: 'Normal',
  };
  assert.deepEqual(msgs(eventsV1Strategy.validate!(e)), ['eventTime: Required value']);
  const ok = { ...e, eventTime: '2024-01-01T11:59:00.000000Z', reportingController: 'default-scheduler', reportingInstance: 'sched-1', action: 'Binding' };
  assert.deepEqual(eventsV1Strategy.validate!(ok), []);
  assert.deepEqual(eventsV1Strategy.row!(ok, NOW).slice(0, 4), ['60s', 'Normal', 'Scheduled', 'pod/web']);
  assert.equal(eventsV1Strategy.selectableFields!(ok)['regarding.name'], 'web');
  assert.deepEqual(msgs(eventsV1Strategy.validateUpdate!({ ...ok, note: 'changed' }, ok)), ['message: Invalid value: "changed": field is immutable']);
});
