// TaintToleration: untolerated NoSchedule/NoExecute taints reject; PreferNoSchedule taints lower the score.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeContext, makeNode, nodeInfo, podInfo, runFilter, runScore } from '../testing';
import { taintToleration } from './taint-toleration';

const tainted = (name: string, taints: { key: string; value?: string; effect: string }[]) => nodeInfo(makeNode(name, {}, {}, { taints }));

test('an untolerated NoSchedule taint is named in the reason; a matching toleration passes', () => {
  const n = tainted('n', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  assert.deepEqual(runFilter(taintToleration, fakeContext([n]), podInfo('p'), n), {
    code: 'UnschedulableAndUnresolvable',
    reasons: ['node(s) had untolerated taint {dedicated: gpu}'],
    plugin: 'TaintToleration',
  });
  const eq = podInfo('eq', {}, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] });
  const exists = podInfo('ex', {}, { tolerations: [{ operator: 'Exists' }] });
  const wrong = podInfo('w', {}, { tolerations: [{ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }] });
  assert.equal(runFilter(taintToleration, fakeContext([n]), eq, n), undefined);
  assert.equal(runFilter(taintToleration, fakeContext([n]), exists, n), undefined);
  assert.notEqual(runFilter(taintToleration, fakeContext([n]), wrong, n), undefined);
});

test('NoExecute rejects too; PreferNoSchedule does not filter', () => {
  const ne = tainted('a', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]);
  const soft = tainted('b', [{ key: 'soft', effect: 'PreferNoSchedule' }]);
  assert.notEqual(runFilter(taintToleration, fakeContext([ne]), podInfo('p'), ne), undefined);
  assert.equal(runFilter(taintToleration, fakeContext([soft]), podInfo('p'), soft), undefined);
});

test('untolerated PreferNoSchedule taints lower the score (normalized, reversed)', () => {
  const clean = tainted('a', []);
  const one = tainted('b', [{ key: 'x', effect: 'PreferNoSchedule' }]);
  const two = tainted('c', [{ key: 'x', effect: 'PreferNoSchedule' }, { key: 'y', effect: 'PreferNoSchedule' }]);
  assert.deepEqual(runScore(taintToleration, fakeContext([clean, one, two]), podInfo('p'), [clean, one, two]), [100, 50, 0]);
  const tolerant = podInfo('t', {}, { tolerations: [{ key: 'x', operator: 'Exists', effect: 'PreferNoSchedule' }] });
  assert.deepEqual(runScore(taintToleration, fakeContext([clean, one, two]), tolerant, [clean, one, two]), [100, 100, 0]);
});
