import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../api/types';
import { podsToSync, specChanged } from './kubelet';

test('status-only pod updates do not wake the pod worker; spec, deletion and labels do', () => {
  const pod: KObject = { metadata: { name: 'p', uid: 'u', resourceVersion: '1', labels: { a: '1' } }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Pending' } };
  assert.equal(specChanged(pod, { ...pod, metadata: { ...pod.metadata, resourceVersion: '2' }, status: { phase: 'Running' } }), false);
  assert.equal(specChanged(pod, { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }), true);
  assert.equal(specChanged(pod, { ...pod, metadata: { ...pod.metadata, labels: { a: '2' } } }), true);
  assert.equal(specChanged(pod, { ...pod, spec: { containers: [{ name: 'c', image: 'x' }] } }), true);
});

test('a relist wakes pods whose runtime state changed, unless their worker already read that state', () => {
  const seen = new Map([['a', 's1=READY'], ['b', 's2=READY'], ['gone', 's3=READY']]);
  const now = new Map([['a', 's1=READY,c1=RUNNING'], ['b', 's2=READY,c2=RUNNING'], ['orphan', 's4=READY'], ['same', 's5=READY']]);
  const observed = new Map([['b', 's2=READY,c2=RUNNING']]);
  const known = new Set(['a', 'b', 'gone', 'same']);
  seen.set('same', 's5=READY');
  const woken = podsToSync(seen, now, (u) => observed.get(u), (u) => known.has(u));
  // a changed behind its worker's back; b's worker saw the change itself; orphan has no API pod; gone left the runtime.
  assert.deepEqual(woken.sort(), ['a', 'gone', 'orphan']);
});
