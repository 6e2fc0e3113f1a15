// Tests for name/label/annotation validation: upstream's exact messages and field paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  nameIsDNSSubdomain,
  semanticEqual,
  validateAnnotations,
  validateImmutableField,
  validateLabelSelector,
  validateObjectMeta,
} from './validation';

const msgs = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

test('DNS-1123 subdomain message is upstream verbatim', () => {
  assert.deepEqual(isDNS1123Subdomain('Foo'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(isDNS1123Subdomain('a.b-c'), []);
  assert.equal(isDNS1123Subdomain('a'.repeat(254))[0], 'must be no more than 253 characters');
});

test('DNS labels: dots, examples, 1035 leading letter', () => {
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDNS1123Label('A'), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.equal(isDNS1035Label('1abc').length, 1);
  assert.match(isDNS1035Label('1abc')[0], /^a DNS-1035 label must consist/);
});

test('qualified names and label values', () => {
  assert.deepEqual(isQualifiedName('example.com/my-key'), []);
  assert.deepEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
  assert.match(isQualifiedName('a/b/c')[0], /^a qualified name must consist of/);
  assert.match(isQualifiedName('-bad')[0], /^name part must consist of alphanumeric characters/);
  assert.deepEqual(isValidLabelValue(''), []);
  assert.equal(isValidLabelValue('x'.repeat(64))[0], 'must be no more than 63 characters');
});

test('generateName may end with a dash', () => {
  assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
  assert.equal(nameIsDNSSubdomain('web-', false).length, 1);
});

test('validateObjectMeta reports name, labels and annotations with paths', () => {
  const errs = validateObjectMeta(
    { name: 'Bad_Name', namespace: 'default', labels: { 'bad key!': 'v', ok: 'bad value!' }, annotations: { 'a/b/c': 'x' } },
    true,
    nameIsDNSSubdomain,
  );
  const out = msgs(errs);
  assert.equal(out.length, 4);
  assert.match(out[0], /^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  assert.match(out[1], /^metadata\.labels: Invalid value: "bad key!": name part must consist/);
  assert.match(out[2], /^metadata\.labels: Invalid value: "bad value!": a valid label must be an empty string/);
  assert.match(out[3], /^metadata\.annotations: Invalid value: "a\/b\/c": a qualified name/);
  assert.deepEqual(msgs(validateObjectMeta({ namespace: 'default' }, true, nameIsDNSSubdomain)), [
    'metadata.name: Required value: name or generateName is required',
  ]);
  assert.deepEqual(msgs(validateObjectMeta({ name: 'x', namespace: 'y' }, false, nameIsDNSSubdomain)), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
});

test('annotations over 256 KiB are too long', () => {
  assert.deepEqual(msgs(validateAnnotations({ a: 'x'.repeat(256 * 1024) }, 'metadata.annotations')), [
    'metadata.annotations: Too long: may not be more than 262144 bytes',
  ]);
});

test('label selector operators and values', () => {
  const out = msgs(
    validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Bogus' }] }, 'spec.selector'),
  );
  assert.deepEqual(out, [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[2].operator: Invalid value: "Bogus": not a valid selector operator',
  ]);
});

test('semantic equality treats empty and absent alike', () => {
  assert.ok(semanticEqual({ a: [] }, {}));
  assert.ok(!semanticEqual({ a: 1 }, { a: 2 }));
  assert.deepEqual(msgs(validateImmutableField('b', 'a', 'spec.x')), ['spec.x: Invalid value: "b": field is immutable']);
});
