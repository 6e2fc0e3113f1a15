import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { containerOOMScoreAdjust, containerResources, milliCPUToQuota, milliCPUToShares, podCgroupParent, podMemoryLimitBytes, podResourceConfig, podResourceTotal } from './resources';

const GI = 1024 ** 3;
const pod = (containers: Container[], initContainers: Container[] = []): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'ab-cd' }, spec: { containers, initContainers } });
const c = (name: string, requests?: Record<string, string>, limits?: Record<string, string>): Container => ({ name, image: 'x', resources: { requests, limits } });

test('cpu shares and quota follow upstream rounding and bounds', () => {
  assert.equal(milliCPUToShares(0), 2);
  assert.equal(milliCPUToShares(1), 2);
  assert.equal(milliCPUToShares(100), 102);
  assert.equal(milliCPUToShares(1000), 1024);
  assert.equal(milliCPUToShares(1_000_000), 262144);
  assert.equal(milliCPUToQuota(0), 0);
  assert.equal(milliCPUToQuota(5), 1000);
  assert.equal(milliCPUToQuota(250), 25000);
  assert.equal(milliCPUToQuota(2000), 200000);
});

test('a Guaranteed container gets shares, quota, memory limit and -997', () => {
  const ctr = c('a', { cpu: '500m', memory: '32Mi' }, { cpu: '500m', memory: '32Mi' });
  const r = containerResources(pod([ctr]), ctr, 4 * GI);
  assert.equal(r.cpuShares, 512);
  assert.equal(r.cpuQuota, 50000);
  assert.equal(r.cpuPeriod, 100000);
  assert.equal(r.memoryLimitInBytes, 32 * 1024 * 1024);
  assert.equal(r.oomScoreAdj, -997);
  assert.deepEqual(r.unified, {});
  assert.equal(r.memorySwapLimitInBytes, 0);
});

test('BestEffort: minimum shares, no quota, no memory limit, 1000', () => {
  const ctr = c('a');
  const r = containerResources(pod([ctr]), ctr, 4 * GI);
  assert.deepEqual([r.cpuShares, r.cpuQuota, r.memoryLimitInBytes, r.oomScoreAdj], [2, 0, 0, 1000]);
});

test('a cpu limit without request takes its shares from the limit', () => {
  const ctr = c('a', undefined, { cpu: '2' });
  assert.equal(containerResources(pod([ctr]), ctr, GI).cpuShares, 2048);
});

test('Burstable OOM score: 1000 - 1000*request/capacity, clamped to [3, 999]', () => {
  const tenth = c('a', { memory: String(GI / 10) });
  assert.equal(containerOOMScoreAdjust(pod([tenth]), tenth, GI), 900);
  const all = c('a', { memory: String(2 * GI) });
  assert.equal(containerOOMScoreAdjust(pod([all]), all, GI), 3);
  const cpuOnly = c('a', { cpu: '100m' });
  assert.equal(containerOOMScoreAdjust(pod([cpuOnly]), cpuOnly, GI), 999);
});

test('a sidecar scores no higher than the regular containers', () => {
  const app = c('app', { memory: String(GI / 2) });
  const side: Container = { ...c('side', { memory: String(GI / 10) }), restartPolicy: 'Always' };
  assert.equal(containerOOMScoreAdjust(pod([app], [side]), side, GI), 500);
});

test('a node-critical pod scores like Guaranteed', () => {
  const ctr = c('a');
  const p: Pod = { ...pod([ctr]), spec: { containers: [ctr], priority: 2_000_001_000, priorityClassName: 'system-node-critical' } };
  assert.equal(containerOOMScoreAdjust(p, ctr, GI), -997);
});

test('swap is pinned to the memory limit on v1 and turned off on v2 when the controller exists', () => {
  const ctr = c('a', { memory: '10Mi' }, { memory: '20Mi' });
  const v1 = containerResources(pod([ctr]), ctr, GI, { v2: false, swapControllerAvailable: true });
  assert.equal(v1.memorySwapLimitInBytes, 20 * 1024 * 1024);
  const v2 = containerResources(pod([ctr]), ctr, GI, { v2: true, swapControllerAvailable: true });
  assert.deepEqual(v2.unified, { 'memory.oom.group': '1', 'memory.swap.max': '0' });
});

test('cgroup parent by QoS class, cgroupfs and systemd', () => {
  const g = c('a', { cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' });
  assert.equal(podCgroupParent(pod([g])), '/kubepods/podab-cd');
  assert.equal(podCgroupParent(pod([c('a', { cpu: '1' })])), '/kubepods/burstable/podab-cd');
  assert.equal(podCgroupParent(pod([c('a')])), '/kubepods/besteffort/podab-cd');
  assert.equal(podCgroupParent(pod([c('a')]), 'systemd'), 'kubepods-besteffort-podab_cd.slice');
  const recorded: Pod = { ...pod([c('a')]), status: { qosClass: 'Burstable' } };
  assert.equal(podCgroupParent(recorded), '/kubepods/burstable/podab-cd');
});

test('pod memory limit only when every container has one', () => {
  assert.equal(podMemoryLimitBytes(pod([c('a', {}, { memory: '10' }), c('b', {}, { memory: '5' })], [c('i', {}, { memory: '30' })])), 30);
  assert.equal(podMemoryLimitBytes(pod([c('a', {}, { memory: '10' }), c('b')])), undefined);
});

test('pod totals: containers and sidecars add up, init containers count beside earlier sidecars, overhead on top', () => {
  const side: Container = { ...c('side', { cpu: '100m' }), restartPolicy: 'Always' };
  const p: Pod = { ...pod([c('a', { cpu: '200m' }), c('b', { cpu: '300m' })], [c('i1', { cpu: '1' }), side, c('i2', { cpu: '450m' })]), spec: { ...pod([]).spec!, containers: [c('a', { cpu: '200m' }), c('b', { cpu: '300m' })], initContainers: [c('i1', { cpu: '1' }), side, c('i2', { cpu: '450m' })], overhead: { cpu: '50m' } } };
  assert.equal(podResourceTotal(p, 'requests', 'cpu'), 1050);
});

test('pod cgroup settings by QoS class', () => {
  const g = c('a', { cpu: '500m', memory: '64Mi' }, { cpu: '500m', memory: '64Mi' });
  assert.deepEqual(podResourceConfig(pod([g, g])), { cpuShares: 1024, cpuQuota: 100000, cpuPeriod: 100000, memoryLimitInBytes: 128 * 1024 * 1024 });
  assert.deepEqual(podResourceConfig(pod([c('a', { cpu: '250m' }, { memory: '32Mi' }), c('b', { cpu: '250m' })])), { cpuShares: 512 });
  assert.deepEqual(podResourceConfig(pod([c('a', { cpu: '250m' }, { memory: '32Mi' })])), { cpuShares: 256, memoryLimitInBytes: 32 * 1024 * 1024 });
  assert.deepEqual(podResourceConfig(pod([c('a')])), { cpuShares: 2 });
});
