// Unit tests of completion-index math and the pod failure backoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { Pod } from '../shared/types';
import { backoffRecord, remainingBackoff } from './backoff';
import { addCompletionIndexEnv, completionIndex, firstPendingIndexes, formatIndexes, generateNameWithIndex, parseIndexes, setCompletionIndex } from './indexes';

test('completedIndexes round-trips between sets and "1,3-5" strings', () => {
  assert.equal(formatIndexes([5, 1, 3, 4, 7, 8]), '1,3-5,7,8');
  assert.equal(formatIndexes([0, 1, 2]), '0-2');
  assert.equal(formatIndexes([]), '');
  assert.deepEqual([...parseIndexes('1,3-5,7', 10)].sort(), [1, 3, 4, 5, 7]);
  // Out of range (after completions shrank) and malformed parts are dropped.
  assert.deepEqual([...parseIndexes('0,2-9,x', 4)].sort(), [0, 2, 3]);
});

test('pending indexes are the lowest ones neither succeeded nor running', () => {
  assert.deepEqual(firstPendingIndexes(3, 6, new Set([0, 2]), new Set([1])), [3, 4, 5]);
  assert.deepEqual(firstPendingIndexes(5, 3, new Set(), new Set()), [0, 1, 2]);
});

test('index pods: generateName, annotation, label, hostname and JOB_COMPLETION_INDEX', () => {
  assert.equal(generateNameWithIndex('pi', 3), 'pi-3-');
  const long = generateNameWithIndex('x'.repeat(60), 12);
  assert.equal(long.length, 58);
  assert.ok(long.endsWith('-12-'));
  const t: PodTemplateSpec = { spec: { containers: [{ name: 'a' }, { name: 'b', env: [{ name: 'JOB_COMPLETION_INDEX', value: 'mine' }] }], initContainers: [{ name: 'i' }] } };
  addCompletionIndexEnv(t);
  assert.deepEqual(t.spec!.containers[0], {
    name: 'a',
    env: [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }],
  });
  assert.deepEqual(t.spec!.containers[1].env, [{ name: 'JOB_COMPLETION_INDEX', value: 'mine' }]);
  assert.equal(t.spec!.initContainers![0].env!.length, 1);
  setCompletionIndex(t, 'pi', 2);
  assert.equal(t.spec!.hostname, 'pi-2');
  assert.equal(t.metadata!.labels!['batch.kubernetes.io/job-completion-index'], '2');
  const pod = { metadata: { annotations: { 'batch.kubernetes.io/job-completion-index': '2' } } };
  assert.equal(completionIndex(pod), 2);
  assert.equal(completionIndex({ metadata: { annotations: { 'batch.kubernetes.io/job-completion-index': '-1' } } }), -1);
  assert.equal(completionIndex({ metadata: {} }), -1);
});

const finished = (at: string, phase: 'Succeeded' | 'Failed'): Pod => ({
  metadata: { name: 'p' },
  spec: { containers: [] },
  status: { phase, containerStatuses: [{ name: 'c', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: at } } }] },
});

test('backoff: 10 s after one failure, doubling, capped at 6 min, reset by a success', () => {
  const t0 = Date.parse('2024-05-01T10:00:00Z');
  const f = (n: number) => Array.from({ length: n }, (_, i) => finished(new Date(t0 - (n - i) * 1000).toISOString().replace('.000', ''), 'Failed'));
  assert.equal(remainingBackoff(backoffRecord([], []), t0), 0);
  assert.equal(remainingBackoff(backoffRecord([], f(1)), t0), 9_000);
  assert.equal(remainingBackoff(backoffRecord([], f(3)), t0), 39_000);
  assert.equal(remainingBackoff(backoffRecord([], f(12)), t0), 6 * 60_000 - 1000);
  assert.equal(remainingBackoff(backoffRecord([], f(1)), t0 + 20_000), 0);
  // A success after the failures resets the count.
  assert.equal(remainingBackoff(backoffRecord([finished('2024-05-01T10:00:00Z', 'Succeeded')], f(3)), t0), 0);
});
