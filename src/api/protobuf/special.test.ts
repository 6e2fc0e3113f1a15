// The special apimachinery messages decoded on their own, including forms kubectl never sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPECIAL_MESSAGES } from './special';

const decode = (name: string, ...bytes: number[]) => SPECIAL_MESSAGES.get(`io.k8s.apimachinery.pkg.${name}`)!(Uint8Array.from(bytes));
const MINUS_ONE = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];

test('Time drops nanos and MicroTime truncates them to microseconds; the zero time is null', () => {
  // seconds = 1: 1, nanos = 2: 1999.
  assert.equal(decode('apis.meta.v1.Time', 0x08, 0x01, 0x10, 0xcf, 0x0f), '1970-01-01T00:00:01Z');
  assert.equal(decode('apis.meta.v1.MicroTime', 0x08, 0x01, 0x10, 0xcf, 0x0f), '1970-01-01T00:00:01.000001Z');
  // Negative nanos borrow from the seconds, as Go's time.Unix normalizes them: 1s - 1ns.
  assert.equal(decode('apis.meta.v1.MicroTime', 0x08, 0x01, 0x10, ...MINUS_ONE), '1970-01-01T00:00:00.999999Z');
  assert.equal(decode('apis.meta.v1.Time'), null);
  // -62135596800 s is Go's zero time.Time, 0001-01-01T00:00:00Z.
  assert.equal(decode('apis.meta.v1.Time', 0x08, 0x80, 0x92, 0xb8, 0xc3, 0x98, 0xfe, 0xff, 0xff, 0xff, 0x01), null);
});

test('Duration, Quantity and IntOrString zero values read as Go writes them', () => {
  // duration = 1: 90_000_000_000 ns.
  assert.equal(decode('apis.meta.v1.Duration', 0x08, 0x80, 0x88, 0xac, 0xa3, 0xcf, 0x02), '1m30s');
  assert.equal(decode('apis.meta.v1.Duration'), '0s');
  assert.equal(decode('api.resource.Quantity', 0x0a, 0x02, 0x31, 0x4b), '1K');
  assert.equal(decode('api.resource.Quantity'), '0');
  assert.equal(decode('util.intstr.IntOrString'), 0);
});

test('FieldsV1 and RawExtension carry JSON; empty is null', () => {
  assert.deepEqual(decode('apis.meta.v1.FieldsV1', 0x0a, 0x02, 0x7b, 0x7d), {});
  assert.equal(decode('apis.meta.v1.FieldsV1'), null);
  assert.equal(decode('runtime.RawExtension', 0x0a, 0x00), null);
});
