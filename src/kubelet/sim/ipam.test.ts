// Unit tests of sim node addressing: pod CIDRs per node index, InternalIPs, pod IP allocation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_NODE_INDEX, PodIPAllocator, indexOfPodCIDR, internalIPForIndex, pickNodeIndex, podCIDRForIndex } from './ipam';

test('node indexes map to /24 pod CIDRs and back, skipping the service range', () => {
  assert.equal(podCIDRForIndex(0), '10.244.0.0/24');
  assert.equal(podCIDRForIndex(3), '10.244.3.0/24');
  assert.equal(podCIDRForIndex(256), '10.245.0.0/24');
  assert.equal(podCIDRForIndex(3071), '10.255.255.0/24');
  assert.equal(podCIDRForIndex(3072), '10.112.0.0/24');
  assert.equal(podCIDRForIndex(MAX_NODE_INDEX - 1), '10.243.255.0/24');
  for (const i of [0, 7, 255, 256, 3071, 3072, 5000, MAX_NODE_INDEX - 1]) assert.equal(indexOfPodCIDR(podCIDRForIndex(i)), i);
  assert.equal(indexOfPodCIDR('10.96.0.0/24'), undefined);
  assert.equal(indexOfPodCIDR('192.168.0.0/24'), undefined);
  assert.throws(() => podCIDRForIndex(MAX_NODE_INDEX));
});

test('InternalIPs count up from 172.18.0.2', () => {
  assert.equal(internalIPForIndex(0), '172.18.0.2');
  assert.equal(internalIPForIndex(1), '172.18.0.3');
  assert.equal(internalIPForIndex(300), '172.18.1.46');
});

test('pickNodeIndex prefers the asked index, else the lowest free one', () => {
  assert.equal(pickNodeIndex(new Set([1, 2]), 3), 3);
  assert.equal(pickNodeIndex(new Set([0, 3]), 3), 1);
  assert.equal(pickNodeIndex(new Set()), 0);
});

test('pod IPs come from .2–.254, one per uid, and are reused only after release', () => {
  const a = new PodIPAllocator('10.244.1.0/24');
  assert.equal(a.allocate('p1'), '10.244.1.2');
  assert.equal(a.allocate('p1'), '10.244.1.2');
  assert.equal(a.allocate('p2'), '10.244.1.3');
  assert.ok(a.hold('old', '10.244.1.4'));
  assert.equal(a.allocate('p3'), '10.244.1.5');
  assert.equal(a.hold('x', '10.244.2.9'), false);
  a.release('p1');
  for (let i = 0; i < 250; i++) assert.ok(a.allocate(`q${i}`));
  // The released .2 comes back last, once the range wraps.
  assert.equal(a.size, 253);
  assert.equal(a.allocate('full'), undefined);
  a.release('q0');
  assert.ok(a.allocate('again'));
});
