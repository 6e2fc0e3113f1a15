import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../api/types';
import { R } from '../client/types';
import { ManualClock } from '../util/manual-clock';
import { ExpiryQueue, lastWritten } from './event-ttl';
import { startTestApi } from './testing';

test('the expiry queue hands out writes once their TTL has passed, oldest first', () => {
  const q = new ExpiryQueue(1000);
  q.push('/a', 1, 0);
  q.push('/b', 2, 500);
  q.push('/a', 3, 700);
  assert.equal(q.nextDue(), 1000);
  assert.deepEqual(q.takeDue(999), []);
  assert.deepEqual(q.takeDue(1500), [
    { key: '/a', revision: 1 },
    { key: '/b', revision: 2 },
  ]);
  assert.equal(q.size, 1);
  assert.equal(q.nextDue(), 1700);
  assert.deepEqual(q.takeDue(5000), [{ key: '/a', revision: 3 }]);
  assert.equal(q.nextDue(), undefined);
});

test('a stored Event was last written at its newest timestamp', () => {
  const ev = { metadata: { creationTimestamp: '2026-01-01T00:00:00Z' }, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:05:00Z' } as KObject;
  assert.equal(lastWritten(ev), Date.parse('2026-01-01T00:05:00Z'));
  assert.equal(lastWritten({ metadata: {}, eventTime: '2026-01-01T00:01:00.000000Z' } as KObject), Date.parse('2026-01-01T00:01:00Z'));
});

const flush = () => new Promise((r) => setTimeout(r, 20));

test('Events are deleted a TTL after their last write; an update restarts the TTL', async () => {
  const clock = new ManualClock(Date.parse('2026-11-26T12:00:00Z'));
  const t = await startTestApi(clock, { eventTTLMs: 60 * 60_000 });
  try {
    const events = t.client.resource(R.events);
    const ev = (name: string): KObject => ({ metadata: { name }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Test', message: name, type: 'Normal' });
    await events.create('default', ev('old'));
    await events.create('default', ev('touched'));
    await flush();
    clock.advance(30 * 60_000);
    await events.patch('default', 'touched', 'merge', { count: 2 });
    await flush();
    clock.advance(31 * 60_000);
    await flush();
    const names = async () => (await events.list('default', {})).items.map((e) => e.metadata.name);
    assert.deepEqual(await names(), ['touched'], 'the untouched Event is gone after an hour');
    clock.advance(30 * 60_000);
    await flush();
    assert.deepEqual(await names(), [], 'the updated one an hour after its update');
  } finally {
    await t.close();
  }
});
