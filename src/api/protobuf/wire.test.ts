// The wire reader: varint edges, skipping each wire type, and refusing truncated or malformed input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXED32, FIXED64, LEN, VARINT, WireReader } from './wire';

const reader = (...bytes: number[]) => new WireReader(Uint8Array.from(bytes));

test('varints of one to ten bytes', () => {
  assert.equal(reader(0x00).varint(), 0n);
  assert.equal(reader(0x96, 0x01).varint(), 150n);
  assert.equal(reader(...Array(9).fill(0xff), 0x01).varint(), 2n ** 64n - 1n);
  assert.throws(() => reader(...Array(9).fill(0xff), 0x02).varint(), /overflows 64 bits/);
  assert.throws(() => reader(0x80, 0x80).varint(), /unexpected end of data at byte 2 of 2/);
});

test('tags split into field number and wire type; field 0 is invalid', () => {
  assert.deepEqual(reader(0x12).tag(), { field: 2, wire: LEN });
  assert.deepEqual(reader(0x88, 0x01).tag(), { field: 17, wire: VARINT });
  assert.throws(() => reader(0x02).tag(), /invalid field number 0/);
});

test('bytes are views of the body, bounded by it', () => {
  const r = reader(0x02, 0x61, 0x62, 0x63);
  assert.deepEqual([...r.bytes()], [0x61, 0x62]);
  assert.equal(r.done, false);
  assert.throws(() => reader(0x05, 0x61).bytes(), /unexpected end of data/);
});

test('skip steps over every wire type and refuses groups', () => {
  const r = reader(0x96, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x01, 0x00, 1, 2, 3, 4);
  for (const wire of [VARINT, FIXED64, LEN, FIXED32]) r.skip(wire);
  assert.equal(r.done, true);
  assert.throws(() => reader(1, 2).skip(FIXED32), /unexpected end of data/);
  assert.throws(() => reader().skip(3), /unsupported wire type 3/);
});
