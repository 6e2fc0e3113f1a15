import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../api/types';
import { specChanged } from './kubelet';

test('status-only pod updates do not wake the pod worker; spec, deletion and labels do', () => {
  const pod: KObject = { metadata: { name: 'p', uid: 'u', resourceVersion: '1', labels: { a: '1' } }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Pending' } };
  assert.equal(specChanged(pod, { ...pod, metadata: { ...pod.metadata, resourceVersion: '2' }, status: { phase: 'Running' } }), false);
  assert.equal(specChanged(pod, { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }), true);
  assert.equal(specChanged(pod, { ...pod, metadata: { ...pod.metadata, labels: { a: '2' } } }), true);
  assert.equal(specChanged(pod, { ...pod, spec: { containers: [{ name: 'c', image: 'x' }] } }), true);
});
