// NodeName: a pod naming a node fits only there; pods without one skip the filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeContext, makeNode, nodeInfo, podInfo, runFilter } from '../testing';
import { nodeName } from './node-name';

test('only the named node fits', () => {
  const a = nodeInfo(makeNode('a', {}));
  const b = nodeInfo(makeNode('b', {}));
  const pod = podInfo('p', {}, { nodeName: 'a' });
  assert.equal(runFilter(nodeName, fakeContext([a, b]), pod, a), undefined);
  assert.deepEqual(runFilter(nodeName, fakeContext([a, b]), pod, b), { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match the requested node name"], plugin: 'NodeName' });
  assert.equal(runFilter(nodeName, fakeContext([a]), podInfo('q'), a), 'Skip');
});
