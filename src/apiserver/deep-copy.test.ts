// Tests of deepCopy: independence from the original, undefined fields, "__proto__" keys and non-plain values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepCopy } from './deep-copy';

test('deepCopy copies nested objects and arrays without sharing them', () => {
  const orig = { metadata: { name: 'a', labels: { x: '1' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] }, n: null, gone: undefined };
  const copy = deepCopy(orig);
  assert.deepEqual(copy, orig);
  assert.ok(Object.hasOwn(copy, 'gone'));
  copy.metadata.labels.x = '2';
  copy.spec.containers[0].ports[0].containerPort = 81;
  assert.equal(orig.metadata.labels.x, '1');
  assert.equal(orig.spec.containers[0].ports[0].containerPort, 80);
});

test('deepCopy keeps a "__proto__" own key as data and copies non-plain values like structuredClone', () => {
  const parsed = JSON.parse('{"a":{"__proto__":{"polluted":true}}}') as { a: Record<string, unknown> };
  const copy = deepCopy(parsed);
  assert.ok(Object.hasOwn(copy.a, '__proto__'));
  assert.equal((copy.a as { polluted?: boolean }).polluted, undefined);
  const d = new Date(0);
  const withDate = deepCopy({ d });
  assert.notEqual(withDate.d, d);
  assert.equal(withDate.d.getTime(), 0);
});
