// Revision hashes: FNV-1a and the safe alphabet as defined, key-order independence, and the two salts (ComputeHash, HashControllerRevision).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHash, fnv32a, hashControllerRevision, safeEncodeString } from './hash';

const SAFE = /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/;

test('FNV-1a 32 and the safe encoding match their definitions', () => {
  assert.equal(fnv32a(Buffer.from('')), 0x811c9dc5);
  assert.equal(fnv32a(Buffer.from('a')), 0xe40c292c);
  assert.equal(fnv32a(Buffer.from('b'), fnv32a(Buffer.from('a'))), fnv32a(Buffer.from('ab')));
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('computeHash: the same template hashes the same whatever its key order; any change or collisionCount changes it', () => {
  const a = { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
  const b = { spec: { containers: [{ image: 'nginx:1', name: 'c' }] }, metadata: { labels: { tier: 'fe', app: 'web' } } };
  const h = computeHash(a);
  assert.match(h, SAFE);
  assert.equal(computeHash(b), h);
  assert.notEqual(computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }), h);
  assert.notEqual(computeHash(a, 0), h);
  assert.notEqual(computeHash(a, 1), computeHash(a, 0));
  assert.equal(computeHash(a, 1), computeHash(b, 1));
});

test('hashControllerRevision: key order does not matter, the probe does, and it is salted differently from computeHash', () => {
  const data = { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1' }] }, $patch: 'replace' } } };
  assert.equal(hashControllerRevision({ a: 1, b: [1, { c: 2, d: 3 }] }), hashControllerRevision({ b: [1, { d: 3, c: 2 }], a: 1 }));
  assert.match(hashControllerRevision(data, 0), SAFE);
  assert.notEqual(hashControllerRevision(data, 0), hashControllerRevision(data, 1));
  assert.equal(hashControllerRevision(data), computeHash(data as never), 'unsalted, both are the plain hash of the value');
  assert.notEqual(hashControllerRevision(data, 1), computeHash(data as never, 1));
});
