// FailedScheduling message formatting, as upstream's FitError.Error().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitErrorMessage, reasonsHistogram } from './fit-error';
import type { Status } from './types';

const st = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons, plugin: 'X' });

test('reasons are counted over nodes and sorted as strings', () => {
  const m = new Map([
    ['a', st('Insufficient cpu')],
    ['b', st('Insufficient cpu', 'Insufficient memory')],
    ['c', st("node(s) didn't match Pod's node affinity/selector")],
  ]);
  assert.deepEqual(reasonsHistogram(m), ["1 node(s) didn't match Pod's node affinity/selector", '2 Insufficient cpu', '1 Insufficient memory'].sort());
  // Sorted as strings, so "10 …" comes before "2 …" as upstream prints it.
  const many = new Map<string, Status>();
  for (let i = 0; i < 10; i++) many.set(`x${i}`, st('Too many pods'));
  many.set('y0', st('Insufficient cpu'));
  many.set('y1', st('Insufficient cpu'));
  assert.deepEqual(reasonsHistogram(many), ['10 Too many pods', '2 Insufficient cpu']);
});

test('the message: node count, histogram, then the PostFilter message, each ending with a period', () => {
  const m = new Map([['a', st('Insufficient cpu')], ['b', st('Insufficient cpu')], ['c', st('Insufficient cpu')]]);
  assert.equal(
    fitErrorMessage(3, { nodeToStatus: m, unschedulablePlugins: new Set() }, 'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.'),
    '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..',
  );
});

test('a PreFilter rejection replaces the histogram', () => {
  const m = new Map([['a', st('x')]]);
  assert.equal(fitErrorMessage(5, { nodeToStatus: m, unschedulablePlugins: new Set(), preFilterMsg: 'pod group too small' }), '0/5 nodes are available: pod group too small.');
});
