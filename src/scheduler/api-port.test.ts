// The status patch the scheduler sends: one condition replaced or added in place, nominatedNodeName set or removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodCondition } from 'kubernetes-types/core/v1';
import { statusPatch } from './api-port';
import { makePod } from './testing';

const cond: PodCondition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm', lastProbeTime: null as unknown as string, lastTransitionTime: 't' };

test('a condition is replaced at its index behind a test op, or appended', () => {
  const pod = { ...makePod('p'), status: { conditions: [{ type: 'Other', status: 'True' }, { type: 'PodScheduled', status: 'False', reason: 'x' }] } };
  assert.deepEqual(statusPatch(pod, cond, undefined), [
    { op: 'test', path: '/status/conditions/1/type', value: 'PodScheduled' },
    { op: 'replace', path: '/status/conditions/1', value: cond },
  ]);
  assert.deepEqual(statusPatch({ ...pod, status: { conditions: [] } }, cond, undefined), [{ op: 'add', path: '/status/conditions/-', value: cond }]);
  assert.deepEqual(statusPatch({ ...pod, status: { phase: 'Pending' } }, cond, undefined), [{ op: 'add', path: '/status/conditions', value: [cond] }]);
});

test('nominatedNodeName is set, removed when present, and left alone when undefined', () => {
  const pod = { ...makePod('p'), status: { nominatedNodeName: 'n1' } };
  assert.deepEqual(statusPatch(pod, undefined, 'n2'), [{ op: 'add', path: '/status/nominatedNodeName', value: 'n2' }]);
  assert.deepEqual(statusPatch(pod, undefined, ''), [{ op: 'remove', path: '/status/nominatedNodeName' }]);
  assert.deepEqual(statusPatch(makePod('q'), undefined, ''), []);
  assert.deepEqual(statusPatch(pod, undefined, undefined), []);
});
