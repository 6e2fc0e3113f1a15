// The pod-template-hash: stable, template-sensitive, salted by collisionCount, upstream's alphabet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHash, fnv32a, safeEncodeString } from './hash';

test('FNV-1a 32 and the safe encoding match their definitions', () => {
  assert.equal(fnv32a(Buffer.from('')), 0x811c9dc5);
  assert.equal(fnv32a(Buffer.from('a')), 0xe40c292c);
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('the same template hashes the same whatever its key order; any change or collisionCount changes it', () => {
  const a = { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
  const b = { spec: { containers: [{ image: 'nginx:1', name: 'c' }] }, metadata: { labels: { tier: 'fe', app: 'web' } } };
  const h = computeHash(a);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.equal(computeHash(b), h);
  assert.notEqual(computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }), h);
  assert.notEqual(computeHash(a, 0), h);
  assert.notEqual(computeHash(a, 1), computeHash(a, 0));
  assert.equal(computeHash(a, 1), computeHash(b, 1));
});
