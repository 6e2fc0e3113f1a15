import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339, rfc3339Micro } from './clock';

test('timestamps: whole seconds for metav1.Time, microseconds for MicroTime; repeated and earlier seconds format right', () => {
  const t = Date.parse('2026-11-26T12:34:56.789Z');
  assert.equal(rfc3339(t), '2026-11-26T12:34:56Z');
  assert.equal(rfc3339(t + 100), '2026-11-26T12:34:56Z');
  assert.equal(rfc3339(t + 1000), '2026-11-26T12:34:57Z');
  assert.equal(rfc3339(t - 60_000), '2026-11-26T12:33:56Z');
  assert.equal(rfc3339(0), '1970-01-01T00:00:00Z');
  assert.equal(rfc3339Micro(t), '2026-11-26T12:34:56.789000Z');
});
