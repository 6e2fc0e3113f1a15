// Unit tests of the zone tainting token bucket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './rate-limiter';
import { nodeLifecycleOptions, parseDurationMs } from './index';

test('a 0.1 qps bucket with burst 1 lets one node through every 10 s; qps 0 none', () => {
  const b = new TokenBucket(0.1, 1, 0);
  assert.ok(b.tryAccept(0));
  assert.ok(!b.tryAccept(5000));
  assert.equal(b.nextAt(5000), 10_000);
  assert.ok(b.tryAccept(10_000));
  b.setQPS(0, 10_000);
  assert.ok(!b.tryAccept(100_000));
  assert.equal(b.nextAt(100_000), Infinity);
});

test('the grace period comes from the environment for tests', () => {
  assert.equal(parseDurationMs('6s'), 6000);
  assert.equal(parseDurationMs('500ms'), 500);
  assert.equal(parseDurationMs('2'), 2000);
  assert.equal(parseDurationMs('soon'), undefined);
  assert.equal(nodeLifecycleOptions({}).monitorGraceMs, 40_000);
  const o = nodeLifecycleOptions({ TUGBOAT_NODE_MONITOR_GRACE_PERIOD: '4s' });
  assert.deepEqual([o.monitorGraceMs, o.monitorPeriodMs, o.startupGraceMs], [4000, 1000, 6000]);
});
