// Tests for strategic merge patch: merge keys, directives, list order and upstream's errors, on a hand-built Pod schema.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../machinery/errors';
import { pod } from './schema-fixtures';
import { applyStrategicMergePatch } from './strategic-merge-patch';
import type { JsonObject } from './values';

type Pod = {
  metadata: { name: string; labels?: Record<string, string>; finalizers?: string[]; ownerReferences?: JsonObject[] } & JsonObject;
  spec: { containers: JsonObject[]; volumes?: JsonObject[]; tolerations?: JsonObject[] } & JsonObject;
} & JsonObject;

const live = (): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { app: 'web', tier: 'front' }, finalizers: ['a/x', 'b/y'] },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'nginx:1.25',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
      { name: 'sidecar', image: 'busybox', args: ['sleep', '1d'] },
    ],
    tolerations: [{ key: 'k1', operator: 'Exists' }],
    volumes: [{ name: 'data', emptyDir: {} }],
  },
});

const smp = (patch: unknown, original: JsonObject = live()) => applyStrategicMergePatch(original, patch, pod) as Pod;
const names = (list: JsonObject[] | undefined) => (list ?? []).map((x) => x.name);

/** Asserts a StatusError with this code and message (reason checked when given). */
function assertStatus(fn: () => unknown, code: number, message: string | RegExp, reason?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StatusError, String(e));
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    if (reason !== undefined) assert.equal(e.reason, reason);
    return true;
  });
}

describe('applyStrategicMergePatch: lists with a merge key', () => {
  it('merges containers by name, keeping the ones the patch does not name', () => {
    const out = smp({ spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } });
    assert.deepEqual(names(out.spec.containers), ['app', 'sidecar']);
    assert.equal(out.spec.containers[0].image, 'nginx:1.26');
    assert.deepEqual(out.spec.containers[0].env, live().spec.containers[0].env);
  });

  it('merges ports by containerPort; without $setElementOrder a new item goes first, as upstream orders it', () => {
    const out = smp({ spec: { containers: [{ name: 'app', ports: [{ containerPort: 443 }, { containerPort: 80, name: 'http' }] }] } });
    assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 443 }, { containerPort: 80, protocol: 'TCP', name: 'http' }]);
    const added = smp({ spec: { containers: [{ name: 'app', ports: [{ containerPort: 443 }] }] } });
    assert.deepEqual(added.spec.containers[0].ports, [{ containerPort: 443 }, { containerPort: 80, protocol: 'TCP' }]);
  });

  it('deletes list items with $patch: delete', () => {
    const out = smp({ spec: { containers: [{ name: 'app', env: [{ $patch: 'delete', name: 'A' }] }, { $patch: 'delete', name: 'sidecar' }] } });
    assert.deepEqual(names(out.spec.containers), ['app']);
    assert.deepEqual(out.spec.containers[0].env, [{ name: 'B', value: '2' }]);
  });

  it('replaces the whole list with $patch: replace', () => {
    const out = smp({ spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } });
    assert.deepEqual(out.spec.containers, [{ name: 'only', image: 'x' }]);
  });

  it('treats an empty merge list in the patch as no change', () => {
    assert.deepEqual(smp({ spec: { containers: [] } }).spec.containers, live().spec.containers);
  });

  it('merges ownerReferences by uid', () => {
    const original = live();
    original.metadata.ownerReferences = [{ uid: 'u1', name: 'rs-1', kind: 'ReplicaSet' }];
    const out = smp({ metadata: { ownerReferences: [{ uid: 'u1', controller: true }, { uid: 'u2', name: 'other' }] } }, original);
    assert.deepEqual(out.metadata.ownerReferences, [
      { uid: 'u1', name: 'rs-1', kind: 'ReplicaSet', controller: true },
      { uid: 'u2', name: 'other' },
    ]);
  });

  it('orders merged items as upstream: patch order for named items, live neighbours for the rest', () => {
    // Patch names sidecar before app and adds "new": upstream puts the patch's items in its order and
    // slots the unnamed live item ("log") before any named item the live list had after it.
    const original = live();
    original.spec.containers.push({ name: 'log', image: 'fluent' });
    const out = smp({ spec: { containers: [{ name: 'log', image: 'fluent:2' }, { name: 'new', image: 'n' }, { name: 'app', image: 'a' }] } }, original);
    assert.deepEqual(names(out.spec.containers), ['sidecar', 'log', 'new', 'app']);
  });
});

describe('applyStrategicMergePatch: primitive and atomic lists', () => {
  it('unions a merge list of primitives (finalizers) without duplicates', () => {
    assert.deepEqual(smp({ metadata: { finalizers: ['b/y', 'c/z'] } }).metadata.finalizers, ['a/x', 'b/y', 'c/z']);
  });

  it('removes primitives with $deleteFromPrimitiveList', () => {
    assert.deepEqual(smp({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a/x', 'nope'] } }).metadata.finalizers, ['b/y']);
  });

  it('never adds a list from $deleteFromPrimitiveList alone', () => {
    const original = live();
    delete original.metadata.finalizers;
    assert.equal(smp({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a/x'] } }, original).metadata.finalizers, undefined);
  });

  it('replaces lists without a patch strategy (tolerations, args)', () => {
    const out = smp({ spec: { tolerations: [{ key: 'k2', operator: 'Exists' }], containers: [{ name: 'sidecar', args: ['true'] }] } });
    assert.deepEqual(out.spec.tolerations, [{ key: 'k2', operator: 'Exists' }]);
    assert.deepEqual(out.spec.containers[1].args, ['true']);
  });
});

describe('applyStrategicMergePatch: maps and directives', () => {
  it('deletes a field set to null and merges maps member by member', () => {
    const out = smp({ metadata: { labels: { tier: null, env: 'prod' } }, spec: { tolerations: null } });
    assert.deepEqual(out.metadata.labels, { app: 'web', env: 'prod' });
    assert.equal('tolerations' in out.spec, false);
  });

  it('replaces a map with $patch: replace and empties it with $patch: delete', () => {
    assert.deepEqual(smp({ metadata: { labels: { $patch: 'replace', only: 'this' } } }).metadata.labels, { only: 'this' });
    assert.deepEqual(smp({ metadata: { labels: { $patch: 'delete' } } }).metadata.labels, {});
  });

  it('keeps only the listed keys with $retainKeys (volumes: emptyDir → configMap)', () => {
    const out = smp({
      spec: {
        volumes: [{ $retainKeys: ['configMap', 'name'], name: 'data', configMap: { name: 'cfg' }, emptyDir: null }],
      },
    });
    assert.deepEqual(out.spec.volumes, [{ name: 'data', configMap: { name: 'cfg' } }]);
  });

  it('refuses a $retainKeys that omits a field the patch sets (400)', () => {
    assertStatus(
      () => smp({ spec: { volumes: [{ $retainKeys: ['name'], name: 'data', configMap: { name: 'cfg' } }] } }),
      400,
      'invalid patch format of retainKeys',
      'BadRequest',
    );
  });

  it('changes the JSON type of a field by replacing it', () => {
    assert.equal(smp({ spec: { containers: [{ name: 'app', ports: 'none' }] } }).spec.containers[0].ports, 'none');
  });

  it('stores new values without nulls or directives', () => {
    const out = smp({
      spec: { containers: [{ name: 'new', image: 'x', resources: null, env: [{ name: 'E', value: null }], $retainKeys: ['name'] }] },
    });
    assert.deepEqual(
      out.spec.containers.find((c) => c.name === 'new'),
      { name: 'new', image: 'x', env: [{ name: 'E' }] },
    );
  });

  it('merges fields the schema does not know as a JSON merge patch would', () => {
    const original = live();
    original.spec.extra = { a: { b: 1, c: 2 }, list: [{ name: 'x', v: 1 }] };
    const out = smp({ spec: { extra: { a: { c: null, d: 3 }, list: [{ name: 'y' }] } } }, original);
    assert.deepEqual(out.spec.extra, { a: { b: 1, d: 3 }, list: [{ name: 'y' }] });
  });

  it('treats a null body as an empty patch and never changes its inputs', () => {
    const original = live();
    const patch = { spec: { containers: [{ name: 'app', env: [{ $patch: 'delete', name: 'A' }] }] } };
    const before = JSON.stringify(patch);
    smp(patch, original);
    assert.deepEqual(original, live());
    assert.equal(JSON.stringify(patch), before);
    assert.deepEqual(smp(null), live());
  });
});

describe('applyStrategicMergePatch: $setElementOrder', () => {
  it('orders a merged list by the directive, a server-only item staying before the live items it preceded', () => {
    const original = live();
    original.spec.containers.splice(1, 0, { name: 'injected', image: 'mesh' });
    const out = smp(
      { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }], containers: [{ name: 'app', image: 'nginx:2' }] } },
      original,
    );
    assert.deepEqual(names(out.spec.containers), ['injected', 'sidecar', 'app']);
    assert.equal(out.spec.containers[2].image, 'nginx:2');
  });

  it('orders by the live list as upstream edits it in place after deletions and additions', () => {
    // Upstream deletes and appends inside the live slice's array, then orders by that array: this is the
    // env step of `kubectl apply` removing B and adding C while the server added X (upstream test
    // "add map and delete map from merging list" exercises the same path).
    const original = live();
    original.spec.containers[0].env = [{ name: 'A' }, { name: 'B' }, { name: 'X' }];
    const out = smp({
      spec: { containers: [{ name: 'app', '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }], env: [{ name: 'C' }, { $patch: 'delete', name: 'B' }] }] },
    }, original);
    assert.deepEqual(names(out.spec.containers[0].env as JsonObject[]), ['A', 'X', 'C']);
  });

  it('orders primitive lists too, with deletions applied after', () => {
    const out = smp({
      metadata: { '$setElementOrder/finalizers': ['c/z', 'b/y'], '$deleteFromPrimitiveList/finalizers': ['a/x'], finalizers: ['c/z'] },
    });
    assert.deepEqual(out.metadata.finalizers, ['c/z', 'b/y']);
  });

  it('refuses a patch list out of the directive order (500, as upstream)', () => {
    assertStatus(
      () => smp({ spec: { '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }], containers: [{ name: 'sidecar' }, { name: 'app' }] } }),
      500,
      /^The order in patch list:\n.*\n doesn't match \$setElementOrder list:\n/,
      '',
    );
  });

  it('refuses a malformed directive key (400)', () => {
    assertStatus(() => smp({ spec: { $setElementOrder: [] } }), 400, 'invalid patch format of setElementOrder list');
    assertStatus(() => smp({ metadata: { $deleteFromPrimitiveList: [] } }), 400, 'invalid patch format of primitive list');
  });
});

describe('applyStrategicMergePatch: errors as upstream answers them', () => {
  it('a list item without its merge key is a 500 naming the item', () => {
    assertStatus(() => smp({ spec: { containers: [{ image: 'x' }] } }), 500, 'map: map[image:x] does not contain declared merge key: name', '');
  });

  it('$patch: merge in a list, or an unknown $patch, is a 500', () => {
    assertStatus(() => smp({ spec: { containers: [{ name: 'app', $patch: 'merge' }] } }), 500, 'merging lists cannot yet be specified in the patch');
    assertStatus(() => smp({ metadata: { labels: { $patch: 'merge' } } }), 500, 'unknown patch type: merge in map: map[$patch:merge]');
  });

  it('lists of lists are a 422', () => {
    const original = live();
    original.metadata.finalizers = [['a']] as unknown as string[];
    assertStatus(() => smp({ metadata: { finalizers: [['b']] } }, original), 422, 'the server rejected our request due to an error in our request', 'Invalid');
  });

  it('a body that is not an object is a 400', () => {
    assertStatus(() => smp([{ a: 1 }]), 400, 'json: cannot unmarshal array into Go value of type map[string]interface {}', 'BadRequest');
  });
});
