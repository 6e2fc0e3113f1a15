// NodeAffinity: nodeSelector and required terms (In, NotIn, Exists, DoesNotExist, Gt, Lt, matchFields) filter; preferred terms score.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeSelectorRequirement } from 'kubernetes-types/core/v1';
import { fakeContext, makeNode, nodeInfo, podInfo, runFilter, runScore } from '../testing';
import { nodeAffinity } from './node-affinity';

const a = nodeInfo(makeNode('a', {}, { disk: 'ssd', zone: 'z1', cores: '16' }));
const b = nodeInfo(makeNode('b', {}, { disk: 'hdd', zone: 'z2', cores: '4' }));
const ctx = fakeContext([a, b]);
const required = (exprs: NodeSelectorRequirement[], fields: NodeSelectorRequirement[] = []) =>
  podInfo('p', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: exprs, matchFields: fields }] } } } });
const fits = (pod: ReturnType<typeof podInfo>) => [a, b].filter((n) => runFilter(nodeAffinity, ctx, pod, n) === undefined).map((n) => n.name);

test('nodeSelector must match every label; the reason is upstream\'s', () => {
  const pod = podInfo('p', {}, { nodeSelector: { disk: 'ssd' } });
  assert.deepEqual(fits(pod), ['a']);
  assert.deepEqual(runFilter(nodeAffinity, ctx, pod, b), { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"], plugin: 'NodeAffinity' });
  assert.equal(runFilter(nodeAffinity, ctx, podInfo('free'), b), 'Skip');
});

test('required terms: In, NotIn, Exists, DoesNotExist, Gt, Lt and matchFields on metadata.name', () => {
  assert.deepEqual(fits(required([{ key: 'zone', operator: 'In', values: ['z2', 'z3'] }])), ['b']);
  assert.deepEqual(fits(required([{ key: 'disk', operator: 'NotIn', values: ['ssd'] }])), ['b']);
  assert.deepEqual(fits(required([{ key: 'disk', operator: 'Exists' }])), ['a', 'b']);
  assert.deepEqual(fits(required([{ key: 'gpu', operator: 'DoesNotExist' }])), ['a', 'b']);
  assert.deepEqual(fits(required([{ key: 'cores', operator: 'Gt', values: ['8'] }])), ['a']);
  assert.deepEqual(fits(required([{ key: 'cores', operator: 'Lt', values: ['8'] }])), ['b']);
  assert.deepEqual(fits(required([], [{ key: 'metadata.name', operator: 'In', values: ['b'] }])), ['b']);
  // Terms are ORed; an empty term matches nothing.
  const either = podInfo('p', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }, {}] } } } });
  assert.deepEqual(fits(either), ['a']);
});

test('preferred terms add their weights, normalized to 100', () => {
  const pod = podInfo('p', {}, {
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 80, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
          { weight: 20, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] } },
        ],
      },
    },
  });
  assert.deepEqual(runScore(nodeAffinity, ctx, pod, [a, b]), [100, 25]);
  assert.equal(runScore(nodeAffinity, ctx, podInfo('none'), [a, b]), undefined);
});
