// NodeUnschedulable: cordoned nodes reject pods unless they tolerate the unschedulable taint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeContext, makeNode, nodeInfo, podInfo, runFilter } from '../testing';
import { nodeUnschedulable } from './node-unschedulable';

test('a cordoned node is unschedulable and unresolvable; the toleration lets a pod in', () => {
  const n = nodeInfo(makeNode('n', {}, {}, { unschedulable: true }));
  assert.deepEqual(runFilter(nodeUnschedulable, fakeContext([n]), podInfo('p'), n), {
    code: 'UnschedulableAndUnresolvable',
    reasons: ['node(s) were unschedulable'],
    plugin: 'NodeUnschedulable',
  });
  const tolerant = podInfo('t', {}, { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
  assert.equal(runFilter(nodeUnschedulable, fakeContext([n]), tolerant, n), undefined);
  const open = nodeInfo(makeNode('o', {}));
  assert.equal(runFilter(nodeUnschedulable, fakeContext([open]), podInfo('p'), open), undefined);
});
