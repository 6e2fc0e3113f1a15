// Tests for the apply merge, compare and remove walkers; the list ordering cases come from structured-merge-diff's own tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SchemaNode } from '../../api/schema';
import { compareObjects } from './compare';
import { FieldSet } from './field-set';
import { mergeValues } from './merge';
import { fieldPE, pathString } from './path';
import { removeItems } from './remove';
import { deploymentSchema } from './fixtures';

const str: SchemaNode = { type: 'string' };
const schema: SchemaNode = {
  type: 'object',
  properties: {
    setStr: { type: 'array', items: str, listType: 'set' },
    setBool: { type: 'array', items: { type: 'boolean' }, listType: 'set' },
    atomicList: { type: 'array', items: str, listType: 'atomic' },
    list: {
      type: 'array',
      listType: 'map',
      listMapKeys: ['key', 'id'],
      items: {
        type: 'object',
        properties: { key: str, id: { type: 'number' }, value: { type: 'object', additionalProperties: str }, bv: { type: 'boolean' }, nv: { type: 'number' } },
      },
    },
  },
};

const triplets: [string, string, string][] = [
  ['{"setStr":["a","b","c"]}', '{"setStr":["a","b"]}', '{"setStr":["a","b","c"]}'],
  ['{"setStr":["a","b"]}', '{"setStr":["a","b","c"]}', '{"setStr":["a","b","c"]}'],
  ['{"setStr":["a","b","c"]}', '{"setStr":[]}', '{"setStr":["a","b","c"]}'],
  ['{"setStr":[]}', '{"setStr":["a","b","c"]}', '{"setStr":["a","b","c"]}'],
  ['{"setStr":["a","b"]}', '{"setStr":["b","a"]}', '{"setStr":["b","a"]}'],
  ['{"setStr":["a","b","c"]}', '{"setStr":["c","d","e","f"]}', '{"setStr":["a","b","c","d","e","f"]}'],
  ['{"setStr":["a","b","c","g","f"]}', '{"setStr":["c","d","e","f"]}', '{"setStr":["a","b","c","g","d","e","f"]}'],
  ['{"setStr":["c","d","e","f"]}', '{"setStr":["a","c","e"]}', '{"setStr":["a","c","d","e","f"]}'],
  ['{"setStr":["a","b","c","x","y","z"]}', '{"setStr":["d","e","f","x","y","z"]}', '{"setStr":["a","b","c","d","e","f","x","y","z"]}'],
  ['{"setStr":["c","a","g","f"]}', '{"setStr":["c","f","a","g"]}', '{"setStr":["c","f","a","g"]}'],
  ['{"setStr":["a","b","c","d"]}', '{"setStr":["d","e","f","a"]}', '{"setStr":["b","c","d","e","f","a"]}'],
  [
    '{"setStr":["a","b","c","d","e","f","g","h","i","j"]}',
    '{"setStr":["1","b","2","h","3","e","4","k","l"]}',
    '{"setStr":["a","1","b","c","d","f","g","2","h","i","j","3","e","4","k","l"]}',
  ],
  ['{"setStr":["a","b","b"]}', '{"setStr":["b"]}', '{"setStr":["a","b"]}'],
  ['{"setStr":["a","b","c","d","e","c"]}', '{"setStr":["1","b","2","e","d"]}', '{"setStr":["a","1","b","c","2","e","c","d"]}'],
  ['{"setStr":["a","a","b","b"]}', '{"setStr":["b","c","d"]}', '{"setStr":["a","a","b","c","d"]}'],
  ['{"setStr":["c","a","g","f","c","a"]}', '{"setStr":["c","f","a","g"]}', '{"setStr":["c","f","a","g"]}'],
  ['{"setBool":[true,false,true]}', '{"setBool":[true]}', '{"setBool":[true,false]}'],
  ['{"list":[{"key":"a","id":1,"value":{"a":"a"}}]}', '{"list":[{"key":"a","id":2,"value":{"a":"a"}}]}', '{"list":[{"key":"a","id":1,"value":{"a":"a"}},{"key":"a","id":2,"value":{"a":"a"}}]}'],
  ['{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}', '{"list":[{"key":"c","id":3},{"key":"b","id":2}]}', '{"list":[{"key":"a","id":1},{"key":"c","id":3},{"key":"b","id":2}]}'],
  ['{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}', '{"list":[{"key":"c","id":3},{"key":"a","id":1}]}', '{"list":[{"key":"b","id":2},{"key":"c","id":3},{"key":"a","id":1}]}'],
  ['{"atomicList":["a","a","a"]}', '{"atomicList":null}', '{"atomicList":null}'],
  ['{"atomicList":["a","b","c"]}', '{"atomicList":[]}', '{"atomicList":[]}'],
  [
    '{"list":[{"key":"a","id":1,"bv":true},{"key":"b","id":2},{"key":"a","id":1,"bv":false,"nv":2}]}',
    '{"list":[{"key":"a","id":1,"nv":3},{"key":"c","id":3},{"key":"b","id":2}]}',
    '{"list":[{"key":"a","id":1,"nv":3},{"key":"c","id":3},{"key":"b","id":2}]}',
  ],
  ['{"list":[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]}', '{}', '{"list":[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]}'],
];

test('merge orders and merges list items as structured-merge-diff does', () => {
  for (const [lhs, rhs, out] of triplets) {
    assert.deepEqual(mergeValues(JSON.parse(lhs), JSON.parse(rhs), schema), JSON.parse(out), `${lhs} + ${rhs}`);
  }
});

test('merge: granular maps merge, atomic maps and lists are replaced, keyed items merge field by field', () => {
  const live = {
    spec: {
      selector: { matchLabels: { app: 'web', tier: 'fe' } },
      template: {
        metadata: { labels: { app: 'web', tier: 'fe' } },
        spec: {
          nodeSelector: { disk: 'ssd', zone: 'a' },
          containers: [{ name: 'app', image: 'v1', args: ['-a', '-b'], ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] }],
        },
      },
    },
  };
  const config = {
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web2' } },
        spec: { nodeSelector: { zone: 'b' }, containers: [{ name: 'app', image: 'v2', args: ['-c'], ports: [{ containerPort: 80 }] }] },
      },
    },
  };
  assert.deepEqual(mergeValues(live, config, deploymentSchema), {
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web2', tier: 'fe' } },
        spec: {
          nodeSelector: { zone: 'b' },
          containers: [{ name: 'app', image: 'v2', args: ['-c'], ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] }],
        },
      },
    },
  });
});

test('compare reports added, modified and removed fields, whole new maps included', () => {
  const c = compareObjects(
    { spec: { replicas: 1, paused: true }, metadata: { name: 'a' } },
    { spec: { replicas: 2 }, metadata: { name: 'a', labels: { app: 'x' } } },
    deploymentSchema,
  );
  assert.deepEqual(c.added.paths().map(pathString), ['.metadata.labels', '.metadata.labels.app']);
  assert.deepEqual(c.modified.paths().map(pathString), ['.spec.replicas']);
  assert.deepEqual(c.removed.paths().map(pathString), ['.spec.paused']);
  assert.ok(compareObjects({ a: [1, 2] }, { a: [1, 2] }, undefined).modified.isEmpty());
});

test('removeItems removes members with their subtrees and drops what becomes empty', () => {
  const obj = { spec: { replicas: 1, strategy: { rollingUpdate: { maxSurge: 1 } } }, metadata: { labels: { a: '1', b: '2' } } };
  const set = FieldSet.of(
    [fieldPE('spec'), fieldPE('strategy'), fieldPE('rollingUpdate'), fieldPE('maxSurge')],
    [fieldPE('metadata'), fieldPE('labels'), fieldPE('a')],
  );
  assert.deepEqual(removeItems(obj, set, deploymentSchema), { spec: { replicas: 1 }, metadata: { labels: { b: '2' } } });
  assert.deepEqual(removeItems(obj, FieldSet.of([fieldPE('spec')]), deploymentSchema), { metadata: obj.metadata });
});

test('untyped objects merge maps key by key and replace lists whole', () => {
  const live = { spec: { a: { x: 1, y: 2 }, list: [1, 2, 3] } };
  const config = { spec: { a: { y: 3 }, list: [4] } };
  assert.deepEqual(mergeValues(live, config, undefined), { spec: { a: { x: 1, y: 3 }, list: [4] } });
});

test('keys that name Object.prototype members are ordinary keys', () => {
  const live = JSON.parse('{"data":{"__proto__":"a","constructor":"b"}}');
  const merged = mergeValues(live, JSON.parse('{"data":{"__proto__":"c"}}'), undefined) as { data: object };
  assert.deepEqual(Object.entries(merged.data), [['__proto__', 'c'], ['constructor', 'b']]);
  const removed = removeItems(merged, FieldSet.of([fieldPE('data'), fieldPE('__proto__')]), undefined) as { data: object };
  assert.deepEqual(Object.entries(removed.data), [['constructor', 'b']]);
});
