// Unit tests of cron next/most-recent times, with time zones and DST changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mostRecentScheduleTime, nextScheduleTime, rfc1123z, rfc3339InZone } from './schedule';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

test('every minute fires on the next whole minute, strictly after', () => {
  assert.equal(iso(nextScheduleTime('*/1 * * * *', at('2024-05-01T10:00:00Z'))), '2024-05-01T10:01:00.000Z');
  assert.equal(iso(nextScheduleTime('* * * * *', at('2024-05-01T10:00:30.5Z'))), '2024-05-01T10:01:00.000Z');
});

test('steps, ranges, month and weekday fields', () => {
  assert.equal(iso(nextScheduleTime('*/15 * * * *', at('2024-05-01T10:16:00Z'))), '2024-05-01T10:30:00.000Z');
  assert.equal(iso(nextScheduleTime('0 9 * * 1-5', at('2024-05-03T09:00:00Z'))), '2024-05-06T09:00:00.000Z'); // Fri → Mon
  assert.equal(iso(nextScheduleTime('0 0 1 jan *', at('2024-05-01T00:00:00Z'))), '2025-01-01T00:00:00.000Z');
  assert.equal(iso(nextScheduleTime('@hourly', at('2024-05-01T10:59:59Z'))), '2024-05-01T11:00:00.000Z');
  assert.equal(iso(nextScheduleTime('@weekly', at('2024-05-01T00:00:00Z'))), '2024-05-05T00:00:00.000Z');
});

test('day-of-month and day-of-week combine with OR unless one is a star', () => {
  // 13th of the month or any Friday.
  assert.equal(iso(nextScheduleTime('0 0 13 * 5', at('2024-05-01T00:00:00Z'))), '2024-05-03T00:00:00.000Z');
  // Star in day-of-week: only the 13th.
  assert.equal(iso(nextScheduleTime('0 0 13 * *', at('2024-05-01T00:00:00Z'))), '2024-05-13T00:00:00.000Z');
});

test('an impossible date never fires', () => {
  assert.equal(nextScheduleTime('0 0 30 2 *', at('2024-01-01T00:00:00Z')), undefined);
});

test('@every counts from the whole second', () => {
  assert.equal(iso(nextScheduleTime('@every 90s', at('2024-05-01T10:00:00.700Z'))), '2024-05-01T10:01:30.000Z');
});

test('time zones: 09:00 in Tokyo and New York', () => {
  assert.equal(iso(nextScheduleTime('0 9 * * *', at('2024-05-01T00:00:00Z'), 'Asia/Tokyo')), '2024-05-02T00:00:00.000Z');
  assert.equal(iso(nextScheduleTime('0 9 * * *', at('2024-05-01T00:00:00Z'), 'America/New_York')), '2024-05-01T13:00:00.000Z');
  assert.equal(iso(nextScheduleTime('0 9 * * *', at('2024-01-10T00:00:00Z'), 'America/New_York')), '2024-01-10T14:00:00.000Z');
});

test('DST: a time skipped by spring-forward does not fire; the repeated hour fires once', () => {
  // 2024-03-10 02:30 does not exist in New York; next is 2024-03-11 02:30 EDT.
  assert.equal(iso(nextScheduleTime('30 2 * * *', at('2024-03-10T05:00:00Z'), 'America/New_York')), '2024-03-11T06:30:00.000Z');
  // 2024-11-03 01:30 happens twice; the first (EDT, 05:30Z) fires, then the next day's.
  const first = nextScheduleTime('30 1 * * *', at('2024-11-03T04:00:00Z'), 'America/New_York');
  assert.equal(iso(first), '2024-11-03T05:30:00.000Z');
  assert.equal(iso(nextScheduleTime('30 1 * * *', first!, 'America/New_York')), '2024-11-04T06:30:00.000Z');
});

test('most recent activation: none, one, and many missed', () => {
  const s = '*/5 * * * *';
  assert.deepEqual(mostRecentScheduleTime(s, at('2024-05-01T10:00:00Z'), at('2024-05-01T10:04:00Z')), { missed: 0 });
  assert.deepEqual(mostRecentScheduleTime(s, at('2024-05-01T10:00:00Z'), at('2024-05-01T10:07:00Z')), { time: at('2024-05-01T10:05:00Z'), missed: 1 });
  const many = mostRecentScheduleTime(s, at('2024-05-01T10:00:00Z'), at('2024-05-01T13:02:00Z'));
  assert.equal(iso(many.time), '2024-05-01T13:00:00.000Z');
  assert.equal(many.missed, 36);
  // Irregular schedules still find the true latest activation (weekdays only; now is a Sunday).
  const weekdays = mostRecentScheduleTime('0 9 * * 1-5', at('2024-04-01T00:00:00Z'), at('2024-05-05T12:00:00Z'));
  assert.equal(iso(weekdays.time), '2024-05-03T09:00:00.000Z');
  // Years of misses stay cheap.
  const years = mostRecentScheduleTime('* * * * *', at('2020-01-01T00:00:00Z'), at('2024-05-01T10:00:30Z'));
  assert.equal(iso(years.time), '2024-05-01T10:00:00.000Z');
  assert.ok(years.missed > 100);
});

test('timestamps as Go formats them', () => {
  assert.equal(rfc3339InZone(at('2024-05-01T10:00:00Z'), 'UTC'), '2024-05-01T10:00:00Z');
  assert.equal(rfc3339InZone(at('2024-05-01T10:00:00Z'), 'Asia/Kolkata'), '2024-05-01T15:30:00+05:30');
  assert.equal(rfc3339InZone(at('2024-01-01T10:00:00Z'), 'America/New_York'), '2024-01-01T05:00:00-05:00');
  assert.equal(rfc1123z(at('2024-05-01T10:00:00Z')), 'Wed, 01 May 2024 10:00:00 +0000');
});
