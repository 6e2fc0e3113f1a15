// Unit tests of the kubelet's pod phase and conditions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import { mergePodConditions, podPhase } from './pod-conditions';

const pod = (restartPolicy: string): Pod => ({ metadata: { name: 'p' }, spec: { restartPolicy, containers: [{ name: 'a' }, { name: 'b' }] } });
const running = (name: string): ContainerStatus => ({ name, ready: true, restartCount: 0, image: '', imageID: '', state: { running: {} } });
const exited = (name: string, exitCode: number): ContainerStatus => ({ name, ready: false, restartCount: 0, image: '', imageID: '', state: { terminated: { exitCode } } });

test('podPhase follows upstream getPhase', () => {
  assert.equal(podPhase(pod('Always'), [running('a'), running('b')], []), 'Running');
  assert.equal(podPhase(pod('Always'), [running('a')], []), 'Pending');
  assert.equal(podPhase(pod('Never'), [exited('a', 0), exited('b', 0)], []), 'Succeeded');
  assert.equal(podPhase(pod('Never'), [exited('a', 0), exited('b', 2)], []), 'Failed');
  assert.equal(podPhase(pod('OnFailure'), [exited('a', 0), exited('b', 2)], []), 'Running');
  assert.equal(podPhase(pod('Always'), [exited('a', 0), exited('b', 0)], []), 'Running');
  assert.equal(podPhase(pod('Always'), [exited('a', 0), exited('b', 1)], [], true), 'Failed');
  assert.equal(podPhase(pod('Never'), [running('a'), exited('b', 1)], []), 'Running');
});

test('mergePodConditions keeps others first and transition times of unchanged conditions', () => {
  const now = Date.parse('2025-01-01T00:01:00Z');
  const merged = mergePodConditions(
    [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' },
      { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' },
      { type: 'Ready', status: 'False', lastTransitionTime: '2025-01-01T00:00:00Z' },
    ],
    [
      { type: 'Ready', status: 'True' },
      { type: 'PodScheduled', status: 'True' },
    ],
    now,
  );
  assert.deepEqual(
    merged.map((c) => [c.type, c.lastTransitionTime]),
    [
      ['DisruptionTarget', undefined],
      ['Ready', '2025-01-01T00:01:00Z'],
      ['PodScheduled', '2025-01-01T00:00:00Z'],
    ],
  );
});
