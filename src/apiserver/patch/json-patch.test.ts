// Tests for RFC 6902 JSON patch with evanphx v4 semantics and the apiserver's status codes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../machinery/errors';
import { applyJsonPatch } from './json-patch';

const doc = () => ({
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'example.com/owner': 'team-a', 'a~b': 'tilde' } },
  spec: { replicas: 2, items: ['a', 'b', 'c'] },
});

/** Asserts the 422 upstream answers a failing operation with: a fixed message, evanphx's text as the cause. */
function assertOpFails(fn: () => unknown, cause: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 422);
    assert.equal(e.reason, 'Invalid');
    assert.equal(e.message, 'the server rejected our request due to an error in our request');
    assert.deepEqual(e.details, { causes: [{ reason: 'UnexpectedServerResponse', message: cause }] });
    return true;
  });
}

describe('applyJsonPatch', () => {
  it('adds object members and array items, "-" appending', () => {
    const out = applyJsonPatch(doc(), [
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'add', path: '/spec/items/1', value: 'x' },
      { op: 'add', path: '/spec/items/-', value: 'z' },
    ]) as ReturnType<typeof doc>;
    assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'front' });
    assert.deepEqual(out.spec.items, ['a', 'x', 'b', 'c', 'z']);
  });

  it('replaces an existing value', () => {
    const out = applyJsonPatch(doc(), [{ op: 'replace', path: '/spec/replicas', value: 5 }]) as ReturnType<typeof doc>;
    assert.equal(out.spec.replicas, 5);
  });

  it('replace of a missing object member adds it, as v4 (and so the apiserver) does', () => {
    const out = applyJsonPatch(doc(), [{ op: 'replace', path: '/metadata/labels/new', value: 'x' }]) as ReturnType<typeof doc>;
    assert.equal((out.metadata.labels as Record<string, string>).new, 'x');
  });

  it('removes members and items', () => {
    const out = applyJsonPatch(doc(), [
      { op: 'remove', path: '/metadata/labels/app' },
      { op: 'remove', path: '/spec/items/0' },
    ]) as ReturnType<typeof doc>;
    assert.deepEqual(out.metadata.labels, {});
    assert.deepEqual(out.spec.items, ['b', 'c']);
  });

  it('decodes ~1 and ~0 in pointer tokens', () => {
    const out = applyJsonPatch(doc(), [
      { op: 'replace', path: '/metadata/annotations/example.com~1owner', value: 'team-b' },
      { op: 'remove', path: '/metadata/annotations/a~0b' },
    ]) as ReturnType<typeof doc>;
    assert.deepEqual(out.metadata.annotations, { 'example.com/owner': 'team-b' });
  });

  it('accepts negative indices counted from the end', () => {
    const out = applyJsonPatch(doc(), [{ op: 'remove', path: '/spec/items/-1' }]) as ReturnType<typeof doc>;
    assert.deepEqual(out.spec.items, ['a', 'b']);
  });

  it('moves and copies; a copy is independent of its source', () => {
    const out = applyJsonPatch(doc(), [
      { op: 'copy', from: '/metadata/labels', path: '/spec/selector' },
      { op: 'add', path: '/spec/selector/extra', value: 'y' },
      { op: 'move', from: '/spec/items/0', path: '/spec/items/-' },
    ]) as ReturnType<typeof doc> & { spec: { selector: unknown } };
    assert.deepEqual(out.spec.selector, { app: 'web', extra: 'y' });
    assert.deepEqual(out.metadata.labels, { app: 'web' });
    assert.deepEqual(out.spec.items, ['b', 'c', 'a']);
  });

  it('passes a matching test and treats a missing member like null', () => {
    const out = applyJsonPatch(doc(), [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'test', path: '/metadata/labels', value: { app: 'web' } },
      { op: 'test', path: '/metadata/labels/absent', value: null },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ]) as ReturnType<typeof doc>;
    assert.equal(out.spec.replicas, 3);
  });

  it('answers a failed test with 422 and leaves the input alone', () => {
    const input = doc();
    assertOpFails(
      () => applyJsonPatch(input, [{ op: 'replace', path: '/spec/replicas', value: 9 }, { op: 'test', path: '/spec/replicas', value: 2 }]),
      'testing value /spec/replicas failed: test failed',
    );
    assert.deepEqual(input, doc());
  });

  it('words missing paths as evanphx v4 does', () => {
    assertOpFails(() => applyJsonPatch(doc(), [{ op: 'remove', path: '/metadata/labels/nope' }]), "error in remove for path: '/metadata/labels/nope': Unable to remove nonexistent key: nope: missing value");
    assertOpFails(() => applyJsonPatch(doc(), [{ op: 'add', path: '/status/phase', value: 'x' }]), 'add operation does not apply: doc is missing path: "/status/phase": missing value');
    assertOpFails(() => applyJsonPatch(doc(), [{ op: 'replace', path: '/spec/items/7', value: 'x' }]), 'replace operation does not apply: doc is missing key: /spec/items/7: missing value');
    assertOpFails(() => applyJsonPatch(doc(), [{ op: 'test', path: '/spec/nope/x', value: 1 }]), 'test operation does not apply: is missing path: /spec/nope/x: missing value');
    assertOpFails(() => applyJsonPatch(doc(), [{ op: 'move', from: '/spec/nope', path: '/spec/x' }]), "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value");
    assertOpFails(() => applyJsonPatch(doc(), [{ op: 'copy', from: '/x/y', path: '/spec/x' }]), 'copy operation does not apply: doc is missing from path: /x/y: missing value');
  });

  it('words bad indices and operations as evanphx v4 does', () => {
    assertOpFails(() => applyJsonPatch(doc(), [{ op: 'add', path: '/spec/items/9', value: 'x' }]), "error in add for path: '/spec/items/9': Unable to access invalid index: 9: invalid index referenced");
    assertOpFails(
      () => applyJsonPatch(doc(), [{ op: 'add', path: '/spec/items/x', value: 'x' }]),
      `error in add for path: '/spec/items/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
    );
    assertOpFails(() => applyJsonPatch(doc(), [{ op: 'frob', path: '/spec' }]), 'Unexpected kind: frob');
    assertOpFails(() => applyJsonPatch(doc(), [{ op: 'add', value: 1 }]), 'add operation failed to decode path: missing value');
    assertOpFails(() => applyJsonPatch(doc(), [{ op: 'replace', path: 7, value: 1 }]), 'replace operation failed to decode path: json: cannot unmarshal number into Go value of type string');
  });

  it('refuses a body that is not a list of operations with 400', () => {
    assert.throws(() => applyJsonPatch(doc(), { op: 'add' }), { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' });
    assert.throws(() => applyJsonPatch(doc(), ['add']), { code: 400, message: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation' });
  });

  it('refuses more than 10000 operations with 413', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/spec/replicas', value: 2 }));
    assert.throws(() => applyJsonPatch(doc(), ops), {
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    });
  });

  it('treats a null body as no operations', () => {
    assert.deepEqual(applyJsonPatch(doc(), null), doc());
  });

  it('does not alias values from the patch body', () => {
    const value = { x: 1 };
    const out = applyJsonPatch(doc(), [{ op: 'add', path: '/spec/obj', value }]) as { spec: { obj: { x: number } } };
    value.x = 2;
    assert.equal(out.spec.obj.x, 1);
  });
});
