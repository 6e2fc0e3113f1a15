// NodeResourcesFit: reasons per resource, the pod count, extended resources, and least-allocated scores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeContext, makeNode, nodeInfo, podInfo, runFilter, runScore } from '../testing';
import { insufficientResources, leastRequestedScore, nodeResourcesFit } from './node-resources-fit';

const node = (alloc: Record<string, string>, pods = [podInfo('existing', { cpu: '1', memory: '1Gi' })]) => nodeInfo(makeNode('n', alloc), pods);

test('fits when every requested resource has room', () => {
  const n = node({ cpu: '2', memory: '2Gi' });
  assert.equal(runFilter(nodeResourcesFit, fakeContext([n]), podInfo('p', { cpu: '1', memory: '1Gi' }), n), undefined);
});

test('reports each insufficient resource, unschedulable (preemption may help)', () => {
  const n = node({ cpu: '2', memory: '2Gi', 'ephemeral-storage': '1Gi' });
  const s = runFilter(nodeResourcesFit, fakeContext([n]), podInfo('p', { cpu: '1500m', memory: '1500Mi', 'ephemeral-storage': '2Gi' }), n);
  assert.deepEqual(s, { code: 'Unschedulable', reasons: ['Insufficient cpu', 'Insufficient memory', 'Insufficient ephemeral-storage'], plugin: 'NodeResourcesFit' });
});

test('counts pods against allocatable pods', () => {
  const n = node({ pods: '1' });
  assert.deepEqual(insufficientResources(podInfo('p'), n), ['Too many pods']);
});

test('extended resources must be on the node: nvidia.com/gpu', () => {
  const gpu = nodeInfo(makeNode('g', { 'nvidia.com/gpu': '2' }), [podInfo('t', { 'nvidia.com/gpu': '1' })]);
  const plain = node({});
  const want = podInfo('p', { 'nvidia.com/gpu': '1' });
  assert.equal(runFilter(nodeResourcesFit, fakeContext([gpu]), want, gpu), undefined);
  assert.deepEqual(insufficientResources(want, plain), ['Insufficient nvidia.com/gpu']);
  assert.deepEqual(insufficientResources(podInfo('p2', { 'nvidia.com/gpu': '2' }), gpu), ['Insufficient nvidia.com/gpu']);
});

test('least-allocated scoring prefers the emptier node, counting default requests for pods without any', () => {
  assert.equal(leastRequestedScore(1000, 4000), 75);
  assert.equal(leastRequestedScore(5000, 4000), 0);
  const empty = nodeInfo(makeNode('a', { cpu: '4', memory: '4Gi' }));
  const busy = nodeInfo(makeNode('b', { cpu: '4', memory: '4Gi' }), [podInfo('x', { cpu: '2', memory: '2Gi' })]);
  const [a, b] = runScore(nodeResourcesFit, fakeContext([empty, busy]), podInfo('p'), [empty, busy])!;
  // The pod counts as 100m and 200Mi: (3900/4000·100 → 97, 3896/4096·100 → 95) / 2 = 96.
  assert.equal(a, 96);
  assert.ok(b < a);
});
