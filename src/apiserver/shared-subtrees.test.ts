import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareSubtrees, SubtreeTable } from './shared-subtrees';

const pod = (name: string, ip: string) =>
  JSON.parse(
    JSON.stringify({
      metadata: { name, labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '10m' } } }], tolerations: [{ key: 'a', operator: 'Exists' }] },
      status: { podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
    }),
  );

test('equal parts of different objects become one frozen instance; differing parts stay apart', () => {
  const table = new SubtreeTable();
  const a = pod('a', '10.0.0.1');
  const b = pod('b', '10.0.0.2');
  const before = JSON.stringify(b);
  shareSubtrees(a, table);
  shareSubtrees(b, table);
  assert.equal(JSON.stringify(b), before, 'sharing changes no value');
  assert.equal(a.spec, b.spec);
  assert.equal(a.metadata.labels, b.metadata.labels);
  assert.equal(a.status.conditions, b.status.conditions);
  assert.notEqual(a.metadata, b.metadata);
  assert.notEqual(a.status, b.status);
  assert.ok(Object.isFrozen(a.spec.tolerations[0]));
  assert.throws(() => a.spec.tolerations.push({}), TypeError);
});

test('parts equal in values but not in shape are not shared', () => {
  const table = new SubtreeTable();
  const x = { a: { k: ['1'] }, b: { k: { 0: '1' } }, c: { k: 1 }, d: { k: '1' }, e: { x: 1, y: 2 }, f: { y: 2, x: 1 } };
  shareSubtrees(x, table);
  assert.notEqual(x.a.k, x.b.k as unknown, 'an array is not an object with index keys');
  assert.notEqual(x.c, x.d as unknown, 'a number is not its string');
  assert.notEqual(x.e, x.f, 'key order is part of the JSON, so of the shape');
});

test('parts seen again survive the table turning over; the values never change', () => {
  const table = new SubtreeTable();
  const first = pod('p-0', '10.0.0.0');
  shareSubtrees(first, table);
  for (let i = 1; i < 60_000; i++) {
    const p = pod(`p-${i}`, `10.0.${i >> 8}.${i & 255}`);
    shareSubtrees(p, table);
    if (i % 1000 === 0) assert.equal(p.spec, first.spec, `pod ${i} shares the first pod's spec`);
  }
});
