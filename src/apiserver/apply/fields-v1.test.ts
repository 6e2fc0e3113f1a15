// Tests for the FieldsV1 wire format, field sets built from objects, and path rendering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from './field-set';
import { fieldsV1ToSet, setToFieldsV1 } from './fields-v1';
import { fieldPE, pathString, type Path } from './path';
import { fieldSetFromObject } from './to-field-set';
import { deployment, deploymentSchema } from './fixtures';

const example = {
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {} } } },
};

test('FieldsV1 round trip keeps members, "." and key elements', () => {
  const set = fieldsV1ToSet(example);
  assert.deepEqual(
    set.paths().map(pathString),
    ['.metadata.labels.app', '.spec.containers[name="app"]', '.spec.containers[name="app"].image'],
  );
  assert.equal(JSON.stringify(setToFieldsV1(set)), JSON.stringify(example));
});

test('FieldsV1 serializes in upstream order: "." first, fields before keys before values', () => {
  const raw = {
    'f:finalizers': { 'v:"b"': {}, 'v:"a"': {} },
    'f:ports': { 'k:{"protocol":"TCP","containerPort":80}': {}, '.': {} },
    'f:b': {},
    'f:a': { 'f:x': {} },
  };
  assert.equal(
    JSON.stringify(setToFieldsV1(fieldsV1ToSet(raw))),
    JSON.stringify({
      'f:a': { 'f:x': {} },
      'f:b': {},
      'f:finalizers': { 'v:"a"': {}, 'v:"b"': {} },
      'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': {} },
    }),
  );
});

test('FieldsV1 drops unknown element types and rejects malformed input', () => {
  assert.deepEqual(fieldsV1ToSet({ 'x:future': {}, 'f:a': {} }).paths(), [[fieldPE('a')]]);
  assert.throws(() => fieldsV1ToSet({ 'f:a': 'nope' }));
  assert.throws(() => fieldsV1ToSet({ 'k:[1]': {} }));
  assert.ok(fieldsV1ToSet({}).isEmpty());
});

test('fieldSetFromObject: leaves, keyed items, set members, atomic values and undeclared map keys', () => {
  const obj = deployment(
    {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'app', image: 'nginx', args: ['-v'], ports: [{ containerPort: 80 }], resources: {} }],
        },
      },
    },
    { finalizers: ['example.com/x'] },
  );
  assert.deepEqual(setToFieldsV1(fieldSetFromObject(obj, deploymentSchema)), {
    'f:apiVersion': {},
    'f:kind': {},
    'f:metadata': { 'f:finalizers': { 'v:"example.com/x"': {} }, 'f:name': {}, 'f:namespace': {} },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"app"}': {
              '.': {},
              'f:args': {},
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              'f:resources': {},
            },
          },
        },
      },
    },
  });
});

test('paths render as upstream prints them in messages', () => {
  const p: Path = [fieldPE('spec'), fieldPE('ports'), { key: [['containerPort', 80], ['protocol', 'TCP']] }, fieldPE('name')];
  assert.equal(pathString(p), '.spec.ports[containerPort=80,protocol="TCP"].name');
  assert.equal(pathString([fieldPE('metadata'), fieldPE('finalizers'), { value: 'a' }]), '.metadata.finalizers[="a"]');
  assert.equal(pathString([fieldPE('spec'), fieldPE('replicas')]), '.spec.replicas');
});

test('keys with HTML characters are escaped as Go does', () => {
  const set = FieldSet.of([fieldPE('env'), { key: [['name', 'a<b']] }]);
  assert.deepEqual(Object.keys(setToFieldsV1(set)['f:env']), ['k:{"name":"a\\u003cb"}']);
});
