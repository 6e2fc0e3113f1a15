import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../api/types';
import { defaultRouteInterface, parseMemTotal, parseOsImage, type HostInfo } from './host';
import { pickPodCIDR } from './node';
import { nodeImages, nodeResources, realNodeConditions, realNodeStatus, realNodeStatusFields } from './node-status';

const host: HostInfo = {
  name: 'vm',
  cpus: 2,
  memoryBytes: 4 * 1024 ** 3,
  ephemeralStorageBytes: 100 * 1024 ** 3,
  kernelVersion: '6.1.0',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  machineID: 'm',
  systemUUID: 's',
  bootID: 'b',
  internalIP: '192.0.2.2',
  architecture: 'amd64',
};
const runtime = { version: 'containerd://1.6.20', conditions: [{ type: 'RuntimeReady', status: true, reason: '', message: '' }] };

test('host files parse as the kubelet reads them', () => {
  assert.equal(parseMemTotal('MemTotal:        4026532 kB\nMemFree: 1 kB\n'), 4026532 * 1024);
  assert.equal(parseOsImage('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  const route = 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\nbr0\t0000FB0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\n';
  assert.equal(defaultRouteInterface(route), 'eth0');
});

test('capacity and allocatable leave out the eviction thresholds', () => {
  const { capacity, allocatable } = nodeResources(host);
  assert.deepEqual(capacity, { cpu: '2', memory: '4194304Ki', pods: '110', 'ephemeral-storage': '104857600Ki' });
  assert.equal(allocatable.memory, '4091904Ki');
  assert.equal(allocatable['ephemeral-storage'], String(Math.floor(100 * 1024 ** 3 * 0.9)));
});

test('node images: biggest first, digests then tags', () => {
  const img = (id: string, size: number, tags: string[], digests: string[] = []) => ({ id, size, repoTags: tags, repoDigests: digests, uid: null, username: '', spec: null, pinned: false });
  assert.deepEqual(nodeImages([img('a', 10, ['a:1']), img('b', 20, ['b:1'], ['b@sha256:1']), img('c', 5, [])]), [
    { names: ['b@sha256:1', 'b:1'], sizeBytes: 20 },
    { names: ['a:1'], sizeBytes: 10 },
  ]);
});

test('Ready is False while the runtime network is not ready', () => {
  const conds = realNodeConditions({ version: '', conditions: [{ type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'cni config uninitialized' }] });
  const ready = conds.find((c) => c.type === 'Ready')!;
  assert.equal(ready.status, 'False');
  assert.equal(ready.reason, 'KubeletNotReady');
  assert.match(ready.message!, /^container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady/);
});

test('status is posted when it changed or a report is due, not otherwise', () => {
  const node: KObject = { metadata: { name: 'vm' } };
  const fields = realNodeStatusFields(host, runtime, []);
  assert.equal(fields.nodeInfo!.containerRuntimeVersion, 'containerd://1.6.20');
  const first = realNodeStatus(node, fields, realNodeConditions(runtime), 1_000_000);
  assert.ok(first.status);
  const again = realNodeStatus({ ...node, status: first.status }, fields, realNodeConditions(runtime), 1_010_000);
  assert.equal(again.status, undefined);
  const due = realNodeStatus({ ...node, status: first.status }, fields, realNodeConditions(runtime), first.nextReportAt);
  assert.ok(due.status);
});

test('a real node takes the lowest pod CIDR index no node holds', () => {
  const n = (cidr?: string): KObject => ({ metadata: { name: 'x' }, spec: cidr ? { podCIDR: cidr } : {} });
  assert.equal(pickPodCIDR([]), '10.244.0.0/24');
  assert.equal(pickPodCIDR([n('10.244.1.0/24'), n('10.244.0.0/24'), n()]), '10.244.2.0/24');
});
