// Tests for RFC 7386 JSON merge patch, including the RFC's appendix examples.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMergePatch } from './merge-patch';

describe('applyMergePatch', () => {
  it('passes the RFC 7386 appendix A examples that have object patches', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [doc, patch, want] of cases) assert.deepEqual(applyMergePatch(doc, patch), want, JSON.stringify(patch));
  });

  it('replaces arrays wholesale', () => {
    const doc = { spec: { containers: [{ name: 'app', image: 'a' }, { name: 'side', image: 's' }] } };
    assert.deepEqual(applyMergePatch(doc, { spec: { containers: [{ name: 'app', image: 'b' }] } }), {
      spec: { containers: [{ name: 'app', image: 'b' }] },
    });
  });

  it('drops null members inside values it sets, as upstream ends up storing them', () => {
    assert.deepEqual(applyMergePatch({}, { spec: { tolerations: [{ key: 'k', value: null }] } }), { spec: { tolerations: [{ key: 'k' }] } });
  });

  it('answers a null or scalar body with 400 Invalid JSON Patch', () => {
    for (const body of [null, 'x', 3, true]) assert.throws(() => applyMergePatch({ a: 1 }, body), { code: 400, reason: 'BadRequest', message: 'Invalid JSON Patch' });
  });

  it('lets an array body replace the document, leaving the refusal to the caller', () => {
    assert.deepEqual(applyMergePatch({ a: 1 }, [1, { b: null }]), [1, {}]);
  });

  it('does not change its inputs', () => {
    const doc = { metadata: { labels: { a: '1' } } };
    const patch = { metadata: { labels: { a: null, b: '2' } } };
    applyMergePatch(doc, patch);
    assert.deepEqual(doc, { metadata: { labels: { a: '1' } } });
    assert.deepEqual(patch, { metadata: { labels: { a: null, b: '2' } } });
  });

  it('treats "__proto__" as an ordinary key', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
