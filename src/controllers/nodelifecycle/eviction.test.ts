// Unit tests of taint-based eviction decisions: toleration matching and eviction times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import { evictionDecision, matchingTolerations, minTolerationMs, toleratesTaint } from './eviction';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const defaults: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

test('toleration matching follows ToleratesTaint', () => {
  assert.ok(toleratesTaint({ operator: 'Exists' }, unreachable));
  assert.ok(toleratesTaint({ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, unreachable));
  assert.ok(!toleratesTaint({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, unreachable));
  assert.ok(toleratesTaint({ key: 'k', value: 'v' }, { key: 'k', value: 'v', effect: 'NoExecute' }));
  assert.ok(!toleratesTaint({ key: 'k', value: 'w', operator: 'Equal' }, { key: 'k', value: 'v', effect: 'NoExecute' }));
  assert.deepEqual(matchingTolerations([unreachable, { key: 'x', effect: 'NoExecute' }], defaults), { allTolerated: false, used: [] });
});

test('the shortest tolerationSeconds wins; none means forever', () => {
  assert.equal(minTolerationMs([]), 0);
  assert.equal(minTolerationMs([{ tolerationSeconds: 300 }, { tolerationSeconds: 5 }]), 5000);
  assert.equal(minTolerationMs([{ operator: 'Exists' }]), -1);
  assert.equal(minTolerationMs([{ tolerationSeconds: 0 }, { tolerationSeconds: 50 }]), 0);
});

test('eviction times: default 300 s, at once without a toleration, never with a forever toleration', () => {
  const now = 1_000_000;
  assert.deepEqual(evictionDecision([unreachable], defaults, now), { action: 'schedule', createdAt: now, fireAt: now + 300_000 });
  assert.deepEqual(evictionDecision([unreachable], [], now), { action: 'schedule', createdAt: now, fireAt: now });
  assert.deepEqual(evictionDecision([unreachable], [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }], now), { action: 'cancel' });
  assert.deepEqual(evictionDecision([], defaults, now), { action: 'cancel' });
  // Re-processing keeps the original start, so later node updates do not push the eviction back.
  assert.deepEqual(evictionDecision([unreachable], [{ ...defaults[1], tolerationSeconds: 5 }], now + 3000, now), { action: 'schedule', createdAt: now, fireAt: now + 5000 });
});
