// Tests for field set algebra, which must match structured-merge-diff's to keep ownership the same as upstream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from './field-set';
import { fieldPE, pathString, type Path } from './path';

const p = (...names: string[]): Path => names.map(fieldPE);
const show = (s: FieldSet) => s.paths().map(pathString);

test('union, intersection and difference work on member paths', () => {
  const a = FieldSet.of(p('spec', 'replicas'), p('spec', 'paused'), p('metadata', 'labels', 'app'));
  const b = FieldSet.of(p('spec', 'replicas'), p('spec', 'template', 'x'));
  assert.deepEqual(show(a.union(b)), ['.metadata.labels.app', '.spec.paused', '.spec.replicas', '.spec.template.x']);
  assert.deepEqual(show(a.intersection(b)), ['.spec.replicas']);
  assert.deepEqual(show(a.difference(b)), ['.metadata.labels.app', '.spec.paused']);
  assert.ok(a.difference(a).isEmpty());
  assert.ok(a.union(b).equals(b.union(a)));
});

test('difference keeps children of a removed parent; recursiveDifference removes them', () => {
  const s = FieldSet.of(p('spec'), p('spec', 'replicas'));
  const parent = FieldSet.of(p('spec'));
  assert.deepEqual(show(s.difference(parent)), ['.spec.replicas']);
  assert.ok(s.recursiveDifference(parent).isEmpty());
});

test('has, withPrefix and members-before-children order', () => {
  const s = FieldSet.of(p('spec', 'template', 'a'), p('spec', 'replicas'), p('kind'));
  assert.ok(s.has(p('spec', 'replicas')));
  assert.ok(!s.has(p('spec')));
  assert.ok(!s.has([]));
  assert.deepEqual(show(s.withPrefix(fieldPE('spec'))), ['.replicas', '.template.a']);
  assert.deepEqual(show(s), ['.kind', '.spec.replicas', '.spec.template.a']);
});

test('operations leave their operands unchanged', () => {
  const a = FieldSet.of(p('a', 'b'));
  const b = FieldSet.of(p('a', 'c'));
  const u = a.union(b);
  u.insert(p('a', 'd'));
  assert.deepEqual(show(a), ['.a.b']);
  assert.deepEqual(show(b), ['.a.c']);
});
