// Unit tests of node health decisions: grace periods, lease renewals, the Unknown conditions posted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { updateNodeHealth, type HealthConfig, type NodeHealth } from './health';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const cfg: HealthConfig = { monitorGraceMs: 40_000, startupGraceMs: 60_000 };
const ts = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function node(conditions?: { type: string; status: string; hb: number }[]): KObject {
  return {
    metadata: { name: 'n1', creationTimestamp: ts(T0) },
    status: conditions && {
      conditions: conditions.map((c) => ({ type: c.type, status: c.status, lastHeartbeatTime: ts(c.hb), lastTransitionTime: ts(T0), reason: 'KubeletReady', message: 'ok' })),
    },
  };
}
const lease = (renew: number): KObject => ({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: new Date(renew).toISOString() } });
const healthy = (hb: number) => node(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({ type, status: type === 'Ready' ? 'True' : 'False', hb })));

test('a node seen for the first time is healthy until the grace period passes without a sign of life', () => {
  const n = healthy(T0);
  let r = updateNodeHealth(n, undefined, lease(T0), T0 + 1000, cfg);
  assert.equal(r.conditions, undefined);
  assert.equal(r.currentReady!.status, 'True');
  let h: NodeHealth = r.health;
  r = updateNodeHealth(n, h, lease(T0), T0 + 41_000, cfg);
  assert.equal(r.conditions, undefined, 'exactly at the grace period nothing happens');
  h = r.health;
  r = updateNodeHealth(n, h, lease(T0), T0 + 41_001, cfg);
  assert.ok(r.conditions);
  assert.equal(r.observedReady.status, 'True');
  assert.equal(r.currentReady!.status, 'Unknown');
  const ready = r.conditions!.find((c) => c.type === 'Ready')!;
  assert.deepEqual(
    { status: ready.status, reason: ready.reason, message: ready.message, lastTransitionTime: ready.lastTransitionTime, lastHeartbeatTime: ready.lastHeartbeatTime },
    { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: '2025-01-01T00:00:41Z', lastHeartbeatTime: ts(T0) },
  );
  assert.deepEqual(
    r.conditions!.map((c) => c.status),
    ['Unknown', 'Unknown', 'Unknown', 'Unknown'],
  );
});

test('lease renewals keep a node healthy although its status heartbeat is old', () => {
  const n = healthy(T0);
  let h = updateNodeHealth(n, undefined, lease(T0), T0, cfg).health;
  for (let t = 10_000; t <= 120_000; t += 10_000) {
    const r = updateNodeHealth(n, h, lease(T0 + t), T0 + t + 500, cfg);
    assert.equal(r.conditions, undefined, `at ${t}`);
    h = r.health;
  }
  // The lease stops being renewed at +120 s.
  const r = updateNodeHealth(n, h, lease(T0 + 120_000), T0 + 161_000, cfg);
  assert.equal(r.currentReady!.status, 'Unknown');
});

test('a node that never posted status gets NodeStatusNeverUpdated after the startup grace', () => {
  const n = node();
  let r = updateNodeHealth(n, undefined, undefined, T0 + 59_000, cfg);
  assert.equal(r.currentReady, undefined);
  r = updateNodeHealth(n, r.health, undefined, T0 + 61_000, cfg);
  assert.equal(r.conditions!.length, 4);
  assert.ok(r.conditions!.every((c) => c.status === 'Unknown' && c.reason === 'NodeStatusNeverUpdated' && c.message === 'Kubelet never posted node status.'));
  assert.equal(r.observedReady.status, 'Unknown');
});

test('an Unknown node is not updated again, and a fresh heartbeat counts as life', () => {
  const n = healthy(T0);
  const h0 = updateNodeHealth(n, undefined, undefined, T0, cfg).health;
  const r1 = updateNodeHealth(n, h0, undefined, T0 + 50_000, cfg);
  const unknown: KObject = { ...n, status: { conditions: r1.conditions } };
  const r2 = updateNodeHealth(unknown, r1.health, undefined, T0 + 55_000, cfg);
  assert.equal(r2.conditions, undefined);
  assert.equal(r2.observedReady.status, 'Unknown');
  const back = healthy(T0 + 60_000);
  const r3 = updateNodeHealth(back, r2.health, undefined, T0 + 60_000, cfg);
  assert.equal(r3.conditions, undefined);
  assert.equal(r3.currentReady!.status, 'True');
  assert.equal(r3.health.probeTimestamp, T0 + 60_000);
});
