// Unit tests of when a finished Job's TTL runs out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from './conditions';
import { ttlRemaining } from './ttl';

const NOW = Date.parse('2024-05-01T10:00:00Z');
const job = (ttl: number | undefined, finished?: { type: string; at: string }, deleting = false): Job => ({
  metadata: { name: 'j', namespace: 'ns', ...(deleting ? { deletionTimestamp: '2024-05-01T10:00:00Z' } : {}) },
  spec: { template: {}, ...(ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl }) },
  status: finished ? { conditions: [{ type: finished.type, status: 'True', lastTransitionTime: finished.at }] } : {},
});

test('the TTL counts from the Complete or Failed transition', () => {
  assert.equal(ttlRemaining(job(100, { type: 'Complete', at: '2024-05-01T09:59:00Z' }), NOW), 40_000);
  assert.equal(ttlRemaining(job(0, { type: 'Failed', at: '2024-05-01T09:59:00Z' }), NOW), -60_000);
});

test('no TTL, not finished, being deleted, or finished in the future: nothing to do', () => {
  assert.equal(ttlRemaining(job(undefined, { type: 'Complete', at: '2024-05-01T09:59:00Z' }), NOW), undefined);
  assert.equal(ttlRemaining(job(10, { type: 'SuccessCriteriaMet', at: '2024-05-01T09:59:00Z' }), NOW), undefined);
  assert.equal(ttlRemaining(job(10, { type: 'Complete', at: '2024-05-01T09:59:00Z' }, true), NOW), undefined);
  assert.equal(ttlRemaining(job(10, { type: 'Complete', at: '2024-05-01T10:05:00Z' }), NOW), undefined);
});
