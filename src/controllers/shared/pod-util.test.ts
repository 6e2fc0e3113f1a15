// Pod readiness and availability as upstream judges them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPodActive, isPodAvailable, isPodReady, maxContainerRestarts } from './pod-util';
import type { Pod } from './types';

const pod = (ready: 'True' | 'False' | undefined, since = '2024-01-01T00:00:00Z', extra: Partial<Pod> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [] },
  status: { phase: 'Running', conditions: ready ? [{ type: 'Ready', status: ready, lastTransitionTime: since }] : [] },
  ...extra,
});
const at = (s: string) => Date.parse(s);

test('ready means a Ready condition with status True', () => {
  assert.equal(isPodReady(pod('True')), true);
  assert.equal(isPodReady(pod('False')), false);
  assert.equal(isPodReady(pod(undefined)), false);
});

test('available: ready, and ready since strictly more than minReadySeconds ago', () => {
  const p = pod('True', '2024-01-01T00:00:00Z');
  assert.equal(isPodAvailable(p, 0, at('2024-01-01T00:00:00Z')), true);
  assert.equal(isPodAvailable(p, 10, at('2024-01-01T00:00:10Z')), false);
  assert.equal(isPodAvailable(p, 10, at('2024-01-01T00:00:10.001Z')), true);
  assert.equal(isPodAvailable(pod('False'), 0, at('2025-01-01T00:00:00Z')), false);
});

test('active: not finished and not being deleted', () => {
  assert.equal(isPodActive(pod('True')), true);
  assert.equal(isPodActive({ ...pod('True'), status: { phase: 'Succeeded' } }), false);
  assert.equal(isPodActive({ ...pod('True'), status: { phase: 'Failed' } }), false);
  assert.equal(isPodActive({ ...pod('True'), metadata: { name: 'p', deletionTimestamp: '2024-01-01T00:00:00Z' } }), false);
});

test('restarts: the maximum over containers', () => {
  const p = pod('True');
  p.status!.containerStatuses = [2, 7, 1].map((restartCount, i) => ({ name: `c${i}`, image: 'x', imageID: '', ready: true, restartCount }));
  assert.equal(maxContainerRestarts(p), 7);
});
