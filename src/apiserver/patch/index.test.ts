// Tests for applyPatch: dispatch by Content-Type, 415s, and apiVersion/kind surviving every format.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../machinery/errors';
import { APPLY_PATCH, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, acceptedPatchTypes, applyPatch } from './index';
import { deployment } from './schema-fixtures';

const live = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'a' }, { name: 'side', image: 's' }] } } },
});
type Live = ReturnType<typeof live>;

describe('applyPatch', () => {
  it('dispatches on the media type, ignoring parameters', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'app', image: 'b' }] } } } };
    const strategic = applyPatch(`${STRATEGIC_MERGE_PATCH}; charset=utf-8`, live(), patch, deployment) as Live;
    assert.deepEqual(strategic.spec.template.spec.containers, [{ name: 'app', image: 'b' }, { name: 'side', image: 's' }]);
    const merged = applyPatch(MERGE_PATCH, live(), patch, deployment) as Live;
    assert.deepEqual(merged.spec.template.spec.containers, [{ name: 'app', image: 'b' }]);
    const json = applyPatch(JSON_PATCH, live(), [{ op: 'replace', path: '/spec/replicas', value: 3 }]) as Live;
    assert.equal(json.spec.replicas, 3);
  });

  it('answers an unknown media type with 415 listing what the resource accepts', () => {
    assert.throws(() => applyPatch('application/json', live(), {}, deployment), {
      code: 415,
      reason: 'UnsupportedMediaType',
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    });
  });

  it('refuses a strategic merge patch for a kind without a schema with 415, as upstream does for custom resources', () => {
    assert.deepEqual(acceptedPatchTypes(false), [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]);
    assert.throws(() => applyPatch(STRATEGIC_MERGE_PATCH, live(), {}), {
      code: 415,
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    });
  });

  it('leaves server-side apply to its own code', () => {
    assert.throws(() => applyPatch(APPLY_PATCH, live(), {}, deployment), TypeError);
  });

  it('refuses a JSON or merge patch that changes kind or apiVersion with 422', () => {
    assert.throws(() => applyPatch(MERGE_PATCH, live(), { kind: 'Service' }), {
      code: 422,
      reason: 'Invalid',
      message: 'Deployment.apps "web" is invalid: kind: Invalid value: "Service": must be Deployment',
    });
    assert.throws(
      () =>
        applyPatch(JSON_PATCH, live(), [
          { op: 'replace', path: '/kind', value: 'Service' },
          { op: 'replace', path: '/apiVersion', value: 'v1' },
        ]),
      (e: unknown) => {
        assert.ok(e instanceof StatusError && e.code === 422);
        assert.equal(e.message, 'Deployment.apps "web" is invalid: [kind: Invalid value: "Service": must be Deployment, apiVersion: Invalid value: "v1": must be apps/v1]');
        assert.deepEqual(
          e.details?.causes?.map((c) => c.field),
          ['kind', 'apiVersion'],
        );
        return true;
      },
    );
  });

  it('puts back an apiVersion or kind a patch removed', () => {
    const out = applyPatch(MERGE_PATCH, live(), { kind: null, apiVersion: null }) as Live;
    assert.equal(out.kind, 'Deployment');
    assert.equal(out.apiVersion, 'apps/v1');
  });

  it('ignores apiVersion and kind in a strategic merge patch, as upstream decodes into the kind\'s type', () => {
    const out = applyPatch(STRATEGIC_MERGE_PATCH, live(), { kind: 'Service', apiVersion: 'v1', spec: { replicas: 4 } }, deployment) as Live;
    assert.equal(out.kind, 'Deployment');
    assert.equal(out.apiVersion, 'apps/v1');
    assert.equal(out.spec.replicas, 4);
  });

  it('refuses a patch whose result is not an object with 422 on the field "patch"', () => {
    for (const [type, body] of [
      [MERGE_PATCH, ['x']],
      [JSON_PATCH, [{ op: 'replace', path: '', value: [1] }]],
    ] as const) {
      assert.throws(
        () => applyPatch(type, live(), body),
        (e: unknown) => {
          assert.ok(e instanceof StatusError);
          assert.equal(e.code, 422);
          assert.match(e.message, /^ "" is invalid: patch: Invalid value: ".*": couldn't get version\/kind; json parse error: json: cannot unmarshal array into Go value/);
          assert.equal(e.details?.causes?.[0].field, 'patch');
          return true;
        },
      );
    }
  });
});
