// Unit tests of what a sim kubelet registers and reports for its Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { registrationPatch, simNodeStatus, SIM_KUBELET_VERSION } from './node-status';
import { simNodeObject, parseCapacity, parseTaints, simCapacity } from './sim-node';

const T0 = Date.parse('2025-01-01T00:00:00Z');

test('registration adds the kubelet labels (keeping user values) and the podCIDR once', () => {
  const node = simNodeObject('gpu-1', { labels: { accel: 'nvidia', 'kubernetes.io/os': 'linux' } });
  const patch = registrationPatch(node, '10.244.4.0/24') as { metadata: { labels: Record<string, string> }; spec: unknown };
  assert.equal(patch.metadata.labels['kubernetes.io/hostname'], 'gpu-1');
  assert.equal(patch.metadata.labels['kubernetes.io/os'], undefined);
  assert.ok(patch.metadata.labels['kubernetes.io/arch']);
  assert.equal(Object.keys(patch.metadata.labels).some((k) => k.startsWith('node-role.kubernetes.io/')), false);
  assert.deepEqual(patch.spec, { podCIDR: '10.244.4.0/24', podCIDRs: ['10.244.4.0/24'] });
  const registered: KObject = {
    ...node,
    metadata: { ...node.metadata, labels: { ...node.metadata.labels, ...patch.metadata.labels }, annotations: { ...node.metadata.annotations, 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
    spec: { podCIDR: '10.244.4.0/24' },
  };
  assert.equal(registrationPatch(registered, '10.244.9.0/24'), undefined);
});

test('capacity comes from the annotation over the defaults, allocatable equal, quantities canonical', () => {
  const node = simNodeObject('n', { capacity: { cpu: '4', memory: '16384Mi', 'nvidia.com/gpu': '2' } });
  assert.deepEqual(simCapacity(node), { cpu: '4', memory: '16384Mi', pods: '110', 'ephemeral-storage': '100Gi', 'nvidia.com/gpu': '2' });
  const { status } = simNodeStatus({ ...node, metadata: { ...node.metadata, uid: 'u' } }, '172.18.0.5', T0);
  assert.deepEqual(status!.capacity, { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi', 'nvidia.com/gpu': '2' });
  assert.deepEqual(status!.allocatable, status!.capacity);
  assert.deepEqual(status!.addresses, [
    { type: 'InternalIP', address: '172.18.0.5' },
    { type: 'Hostname', address: 'n' },
  ]);
  assert.equal(status!.nodeInfo!.kubeletVersion, SIM_KUBELET_VERSION);
  assert.equal(status!.nodeInfo!.operatingSystem, 'linux');
  assert.deepEqual(
    status!.conditions!.map((c) => [c.type, c.status, c.reason]),
    [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ],
  );
});

test('an unchanged status is reported every 5 minutes; a changed one (Ready Unknown) at once', () => {
  const node: KObject = { ...simNodeObject('n'), metadata: { name: 'n', uid: 'u', annotations: { 'tugboat.dev/simulated': 'true' } } };
  node.status = simNodeStatus(node, '172.18.0.2', T0).status;
  const quiet = simNodeStatus(node, '172.18.0.2', T0 + 60_000);
  assert.equal(quiet.status, undefined);
  assert.equal(quiet.nextReportAt, T0 + 300_000);
  const heartbeat = simNodeStatus(node, '172.18.0.2', T0 + 300_000).status!;
  const ready = heartbeat.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.lastHeartbeatTime, '2025-01-01T00:05:00Z');
  assert.equal(ready.lastTransitionTime, '2025-01-01T00:00:00Z');
  node.status = {
    ...node.status,
    conditions: node.status.conditions.map((c: { type: string }) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c)),
  };
  const back = simNodeStatus(node, '172.18.0.2', T0 + 70_000).status!;
  const r = back.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(r.status, 'True');
  assert.equal(r.lastTransitionTime, '2025-01-01T00:01:10Z');
});

test('capacity and taint flags parse, and bad ones are refused', () => {
  assert.deepEqual(parseCapacity('cpu=8,memory=32Gi'), { cpu: '8', memory: '32Gi' });
  assert.throws(() => parseCapacity('cpu=lots'), /not a quantity/);
  assert.deepEqual(parseTaints('gpu=true:NoSchedule,dedicated:NoExecute'), [
    { key: 'gpu', value: 'true', effect: 'NoSchedule' },
    { key: 'dedicated', effect: 'NoExecute' },
  ]);
  assert.throws(() => parseTaints('gpu=true'), /key\[=value\]:Effect/);
  assert.throws(() => parseTaints('gpu=true:Sometimes'), /effect must be/);
});
