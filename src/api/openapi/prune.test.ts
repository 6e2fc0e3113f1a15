// Tests for pruning unknown fields, as decoding does under fieldValidation=Ignore and Warn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDefinitions } from './generate';
import { pruneUnknownFields } from './prune';
import { schemaLookupFrom } from './schema-lookup';

const lookup = schemaLookupFrom(generateDefinitions());

test('removes unknown fields in place and reports their paths', () => {
  const obj = {
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, bogus: 1 },
    spec: { foo: 1, replicas: 'three', template: { spec: { containers: [{ name: 'c', imagee: 'x' }, { name: 'd', image: 'i' }] } } },
  };
  const removed = pruneUnknownFields(obj, lookup.definition('io.k8s.api.apps.v1.Deployment')!);
  assert.deepEqual(removed, ['metadata.bogus', 'spec.foo', 'spec.template.spec.containers[0].imagee']);
  assert.deepEqual(obj, {
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 'three', template: { spec: { containers: [{ name: 'c' }, { name: 'd', image: 'i' }] } } },
  });
});

test('keeps map keys and the contents of raw extensions', () => {
  const obj = { revision: 1, data: { whatever: { nested: true } }, metadata: { annotations: { 'x/y': 'z' } } };
  assert.deepEqual(pruneUnknownFields(obj, lookup.definition('io.k8s.api.apps.v1.ControllerRevision')!), []);
  assert.deepEqual(obj.data, { whatever: { nested: true } });
});
