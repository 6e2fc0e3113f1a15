// Tests for server-side apply: merge, prune, ownership, conflicts and their upstream messages, and the upgrade paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { StatusError } from '../../machinery/errors';
import { applyServerSide, type ApplyOptions } from './apply';
import { deployment, deploymentSchema } from './fixtures';
import { LAST_APPLIED_ANNOTATION } from './last-applied';
import { resetFieldsFor } from './reset-fields';
import { updateManagedFields } from './update';

const T0 = Date.parse('2024-05-01T10:00:00Z');
const HOUR = 3600_000;

function apply(live: KObject | undefined, config: unknown, manager: string, extra: Partial<ApplyOptions> = {}): KObject {
  return applyServerSide({
    live,
    config,
    manager,
    schema: deploymentSchema,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    resetFields: resetFieldsFor({ hasStatus: true }),
    now: T0,
    ...extra,
  }).object;
}

// What the registry adds on create; apply leaves system metadata to its caller.
function stored(obj: KObject): KObject {
  return { ...obj, metadata: { ...obj.metadata, uid: 'u-1', resourceVersion: '1', creationTimestamp: '2024-05-01T09:00:00Z' } };
}

function applyError(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, String(e));
    return e;
  }
  assert.fail('expected a StatusError');
}

const containers = (...cs: Record<string, unknown>[]) => ({ template: { spec: { containers: cs } } });
const specOf = (o: KObject) => o.spec as Record<string, any>;
const fieldsOf = (o: KObject, manager: string) => o.metadata.managedFields?.find((e) => e.manager === manager)?.fieldsV1;

test('apply creates: the object is the config, owned by one Apply entry', () => {
  const config = deployment({ replicas: 3, ...containers({ name: 'app', image: 'nginx:1' }) }, { labels: { app: 'web' } });
  const res = applyServerSide({ live: undefined, config, manager: 'alice', schema: deploymentSchema, apiVersion: 'apps/v1', kind: 'Deployment', now: T0 });
  assert.deepEqual({ ...res.object, metadata: { ...res.object.metadata, managedFields: undefined } }, {
    ...config,
    metadata: { ...(config.metadata as object), managedFields: undefined },
  });
  assert.deepEqual(res.managedFields, [
    {
      manager: 'alice',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
        },
      },
    },
  ]);
  assert.deepEqual(res.object.metadata.managedFields, res.managedFields);
});

test('two managers applying different values to one field conflict, naming the other manager and the path', () => {
  const live = stored(apply(undefined, deployment({ replicas: 3 }), 'alice'));
  const err = applyError(() => apply(live, deployment({ replicas: 5 }), 'bob'));
  assert.equal(err.code, 409);
  assert.equal(err.reason, 'Conflict');
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
  assert.deepEqual(err.details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }] });
  assert.equal(err.toStatus().code, 409);
});

test('applying the same value as another manager shares ownership without conflict', () => {
  const live = stored(apply(undefined, deployment({ replicas: 3, paused: true }), 'alice'));
  const shared = stored(apply(live, deployment({ replicas: 3 }), 'bob'));
  assert.deepEqual(fieldsOf(shared, 'bob'), { 'f:spec': { 'f:replicas': {} } });
  // alice stops applying replicas; bob still owns it, so it stays.
  const after = apply(shared, deployment({ paused: true }), 'alice');
  assert.equal(specOf(after).replicas, 3);
  assert.deepEqual(fieldsOf(after, 'alice'), { 'f:spec': { 'f:paused': {} } });
});

test('force takes ownership of conflicting fields', () => {
  const live = stored(apply(undefined, deployment({ replicas: 3, paused: false }), 'alice'));
  const res = apply(live, deployment({ replicas: 5 }), 'bob', { force: true });
  assert.equal(specOf(res).replicas, 5);
  assert.deepEqual(fieldsOf(res, 'alice'), { 'f:spec': { 'f:paused': {} } });
  assert.deepEqual(fieldsOf(res, 'bob'), { 'f:spec': { 'f:replicas': {} } });
});

test('applying the same config twice is a no-op: same object, same managedFields, time kept', () => {
  const config = deployment({ replicas: 3, ...containers({ name: 'app', image: 'nginx:1', ports: [{ containerPort: 80 }] }) });
  const first = stored(apply(undefined, config, 'alice'));
  const second = apply(first, config, 'alice', { now: T0 + HOUR });
  assert.deepEqual(second, first);
});

test('fields dropped from the applied config are removed unless another manager owns them', () => {
  const live = stored(
    apply(
      undefined,
      deployment(
        { replicas: 3, paused: true, strategy: { rollingUpdate: { maxSurge: 1 } }, ...containers({ name: 'app', image: 'a' }, { name: 'sidecar', image: 's' }) },
        { labels: { app: 'web', tier: 'fe' } },
      ),
      'alice',
    ),
  );
  const withBob = stored(apply(live, deployment({ ...containers({ name: 'sidecar', image: 's' }) }), 'bob'));
  const res = apply(withBob, deployment({ replicas: 3, ...containers({ name: 'app', image: 'a' }) }, { labels: { app: 'web' } }), 'alice');
  assert.deepEqual(res.metadata.labels, { app: 'web' });
  assert.deepEqual(specOf(res), { replicas: 3, ...containers({ name: 'app', image: 'a' }, { name: 'sidecar', image: 's' }) });
  // Without bob, the sidecar goes too.
  const alone = apply(live, deployment({ replicas: 3, ...containers({ name: 'app', image: 'a' }) }), 'alice');
  assert.deepEqual(specOf(alone).template.spec.containers, [{ name: 'app', image: 'a' }]);
});

test('fields nobody applied survive pruning next to pruned ones', () => {
  const created = stored(apply(undefined, deployment({ replicas: 3, paused: true }), 'alice'));
  // A controller's write without a manager of its own record, e.g. defaulting: revisionHistoryLimit is unowned here.
  const live = { ...created, spec: { ...specOf(created), revisionHistoryLimit: 10 } };
  const res = apply(live, deployment({ replicas: 3 }), 'alice');
  assert.deepEqual(specOf(res), { replicas: 3, revisionHistoryLimit: 10 });
});

test('containers from two managers merge by name; each owns its own item', () => {
  const a = stored(apply(undefined, deployment(containers({ name: 'app', image: 'app:1', ports: [{ containerPort: 80 }] })), 'alice'));
  const b = stored(apply(a, deployment(containers({ name: 'sidecar', image: 'proxy:1' })), 'bob'));
  assert.deepEqual(specOf(b).template.spec.containers, [
    { name: 'app', image: 'app:1', ports: [{ containerPort: 80 }] },
    { name: 'sidecar', image: 'proxy:1' },
  ]);
  assert.deepEqual(fieldsOf(b, 'bob'), {
    'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
  });
  // The live port was defaulted to TCP; the applied one without a protocol is the same item.
  const defaulted = { ...b, spec: containers({ name: 'app', image: 'app:1', ports: [{ containerPort: 80, protocol: 'TCP' }] }, { name: 'sidecar', image: 'proxy:1' }) };
  const again = apply(defaulted, deployment(containers({ name: 'app', image: 'app:2', ports: [{ containerPort: 80 }] })), 'alice');
  assert.deepEqual(specOf(again).template.spec.containers[0], { name: 'app', image: 'app:2', ports: [{ containerPort: 80, protocol: 'TCP' }] });
  const err = applyError(() => apply(b, deployment(containers({ name: 'app', image: 'app:3' })), 'bob'));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "alice": .spec.template.spec.containers[name="app"].image');
});

test('an Update by kubectl-client-side-apply, then an Apply changing the same field, conflicts', () => {
  const created = updateManagedFields({
    old: undefined,
    updated: deployment({ replicas: 3 }) as KObject,
    manager: 'kubectl-client-side-apply',
    schema: deploymentSchema,
    apiVersion: 'apps/v1',
    now: T0,
  }).object;
  const err = applyError(() => apply(stored(created), deployment({ replicas: 5 }), 'alice'));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  assert.deepEqual(err.details?.causes, [
    { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' },
  ]);
});

test('several conflicts are grouped by manager', () => {
  const a = stored(apply(undefined, deployment({ replicas: 3, paused: true }), 'alice'));
  const b = stored(apply(a, deployment({ ...containers({ name: 'app', image: 'x' }) }), 'bob'));
  const err = applyError(() => apply(b, deployment({ replicas: 1, paused: false, ...containers({ name: 'app', image: 'y' }) }), 'carol'));
  assert.equal(
    err.message,
    'Apply failed with 3 conflicts: conflicts with "alice":\n- .spec.paused\n- .spec.replicas\nconflicts with "bob":\n- .spec.template.spec.containers[name="app"].image',
  );
  assert.deepEqual(
    err.details?.causes?.map((c) => c.field),
    ['.spec.paused', '.spec.replicas', '.spec.template.spec.containers[name="app"].image'],
  );
});

test('an object without managedFields: its fields belong to before-first-apply', () => {
  const legacy = stored(deployment({ replicas: 3, paused: true }) as KObject);
  const err = applyError(() => apply(legacy, deployment({ replicas: 5 }), 'alice'));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
  const res = applyServerSide({ live: legacy, config: deployment({ replicas: 3 }), manager: 'alice', schema: deploymentSchema, apiVersion: 'apps/v1', kind: 'Deployment', now: T0 });
  assert.deepEqual(
    res.managedFields?.map((e) => [e.manager, e.operation, e.time]),
    [
      // A no-op apply does not stamp its entry.
      ['alice', 'Apply', undefined],
      ['before-first-apply', 'Update', '2024-05-01T10:00:00Z'],
    ],
  );
  assert.deepEqual(fieldsOf(res.object, 'before-first-apply'), { 'f:spec': { 'f:paused': {}, 'f:replicas': {} } });
});

test('kubectl moving from client-side to server-side apply takes fields its last-applied annotation still matches', () => {
  const lastApplied = `${JSON.stringify(deployment({ replicas: 3 }))}\n`;
  const csa = updateManagedFields({
    old: undefined,
    updated: deployment({ replicas: 3 }, { annotations: { [LAST_APPLIED_ANNOTATION]: lastApplied } }) as KObject,
    manager: 'kubectl-client-side-apply',
    schema: deploymentSchema,
    apiVersion: 'apps/v1',
    now: T0,
  }).object;
  const config = deployment({ replicas: 5 });
  const res = apply(stored(csa), config, 'kubectl');
  assert.equal(specOf(res).replicas, 5);
  assert.equal(
    res.metadata.annotations?.[LAST_APPLIED_ANNOTATION],
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":5}}\n',
  );
  // Another manager changed replicas after the client-side apply: that conflict stands.
  const scaled = updateManagedFields({ old: stored(csa), updated: { ...stored(csa), spec: { replicas: 7 } }, manager: 'hpa', schema: deploymentSchema, apiVersion: 'apps/v1', now: T0 }).object;
  const err = applyError(() => apply(scaled, config, 'kubectl'));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas');
  // Other managers do not get the upgrade.
  assert.equal(applyError(() => apply(stored(csa), config, 'alice')).code, 409);
});

test('bad applied configurations are refused as upstream refuses them', () => {
  const wrongKind = applyError(() => apply(undefined, { ...deployment(), apiVersion: 'apps/v1beta1' }, 'alice'));
  assert.equal(wrongKind.code, 400);
  assert.equal(wrongKind.message, 'invalid object type: apps/v1beta1, Kind=Deployment');
  const withManaged = applyError(() => apply(undefined, deployment({}, { managedFields: [] }), 'alice'));
  assert.equal(withManaged.message, 'metadata.managedFields must be nil');
  const dup = applyError(() => apply(undefined, deployment(containers({ name: 'a' }, { name: 'a' })), 'alice'));
  assert.equal(dup.code, 500);
  assert.equal(
    dup.message,
    'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="a"]',
  );
  const typo = applyError(() => apply(undefined, deployment({ replicas: 1, replica: 2, template: { spec: { containers: [{}] } } }), 'alice'));
  assert.equal(
    typo.message,
    'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): errors:\n' +
      '  .spec.replica: field not declared in schema\n' +
      '  .spec.template.spec.containers: element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn\'t have default values for any key fields)',
  );
});

test('status is not owned through the main resource; the status subresource records its own entry', () => {
  const live = stored(apply(undefined, { ...deployment({ replicas: 1 }), status: { replicas: 9 } }, 'alice'));
  assert.deepEqual(fieldsOf(live, 'alice'), { 'f:spec': { 'f:replicas': {} } });
  const status = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, status: { readyReplicas: 1 } };
  const res = applyServerSide({
    live,
    config: status,
    manager: 'controller',
    subresource: 'status',
    resetFields: resetFieldsFor({ subresource: 'status', hasStatus: true }),
    schema: deploymentSchema,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    now: T0,
  });
  const entry = res.managedFields?.find((e) => e.manager === 'controller');
  assert.equal(entry?.subresource, 'status');
  assert.deepEqual(entry?.fieldsV1, { 'f:status': { 'f:readyReplicas': {} } });
});
