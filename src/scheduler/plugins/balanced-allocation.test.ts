// NodeResourcesBalancedAllocation: 100 when cpu and memory are used in equal shares, less as they diverge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeContext, makeNode, nodeInfo, podInfo, runScore } from '../testing';
import { balancedAllocation, balancedScore } from './balanced-allocation';

test('the score is (1 − std of the used fractions) × 100', () => {
  assert.equal(balancedScore([2, 2], [4, 4]), 100);
  assert.equal(balancedScore([4, 0], [4, 4]), 50);
  assert.equal(balancedScore([1, 3, 2], [4, 4, 4]), 79);
});

test('a node where the pod balances usage scores higher; best-effort pods are not scored', () => {
  const cpuHeavy = nodeInfo(makeNode('a', { cpu: '4', memory: '4Gi' }), [podInfo('x', { cpu: '3' })]);
  const memHeavy = nodeInfo(makeNode('b', { cpu: '4', memory: '4Gi' }), [podInfo('y', { memory: '3Gi' })]);
  const [a, b] = runScore(balancedAllocation, fakeContext([cpuHeavy, memHeavy]), podInfo('p', { memory: '1Gi' }), [cpuHeavy, memHeavy])!;
  assert.ok(a > b);
  assert.equal(runScore(balancedAllocation, fakeContext([cpuHeavy]), podInfo('be'), [cpuHeavy]), undefined);
});
