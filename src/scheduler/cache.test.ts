// The scheduler cache: incremental sums, assumed pods confirmed or forgotten, node order across zones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import { interleaveZones, SchedulerCache } from './cache';
import { makeNode, makePod, nodeInfo } from './testing';
import { newPodInfo } from './pod-info';

const bound = (name: string, node: string, cpu: string): Pod => {
  const p = makePod(name, { cpu }, { nodeName: node }, { uid: `uid-${name}` });
  return p;
};

test('bound pods add to their node; deleting subtracts; ghosts keep pods of unknown nodes', () => {
  const c = new SchedulerCache();
  c.addNode(makeNode('n1', { cpu: '4' }));
  c.addPod(bound('a', 'n1', '1'));
  c.addPod(bound('b', 'n1', '500m'));
  assert.equal(c.node('n1')!.requested.milliCPU, 1500);
  assert.equal(c.node('n1')!.allocCPU - c.node('n1')!.reqCPU, 2500);
  c.removePod(bound('a', 'n1', '1'));
  assert.equal(c.node('n1')!.requested.milliCPU, 500);
  c.addPod(bound('x', 'later', '1'));
  assert.equal(c.nodeCount, 1, 'a node seen only through its pods is not schedulable');
  c.addNode(makeNode('later', {}));
  assert.equal(c.node('later')!.pods.length, 1);
  assert.equal(c.nodeCount, 2);
});

test('an assumed pod counts at once; the informer confirms it, or it is forgotten', () => {
  const c = new SchedulerCache();
  c.addNode(makeNode('n1', { cpu: '4' }));
  const p = makePod('p', { cpu: '1' }, {}, { uid: 'u1' });
  c.assumePod(newPodInfo(p), 'n1');
  assert.equal(c.isAssumed('default/p'), true);
  assert.equal(c.node('n1')!.requested.milliCPU, 1000);
  c.addPod({ ...p, spec: { ...p.spec!, nodeName: 'n1' } });
  assert.equal(c.isAssumed('default/p'), false);
  assert.equal(c.node('n1')!.requested.milliCPU, 1000, 'confirmation does not count twice');
  const q = makePod('q', { cpu: '2' });
  c.assumePod(newPodInfo(q), 'n1');
  c.forgetPod('default/q');
  assert.equal(c.node('n1')!.requested.milliCPU, 1000);
});

test('pods with affinity are tracked per node', () => {
  const c = new SchedulerCache();
  c.addNode(makeNode('n1', {}));
  const anti = makePod('anti', {}, { nodeName: 'n1', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: {} }] } } });
  c.addPod(anti);
  assert.equal(c.withRequiredAntiAffinityPods.size, 1);
  assert.equal(c.withAffinityPods.size, 1);
  c.removePod(anti);
  assert.equal(c.withRequiredAntiAffinityPods.size, 0);
});

test('nodes are ordered round-robin across zones', () => {
  const zone = (n: string, z: string) => nodeInfo(makeNode(n, {}, { 'topology.kubernetes.io/zone': z }));
  const order = interleaveZones([zone('a1', 'a'), zone('a2', 'a'), zone('a3', 'a'), zone('b1', 'b'), zone('c1', 'c')]).map((n) => n.name);
  assert.deepEqual(order, ['a1', 'b1', 'c1', 'a2', 'a3']);
});
