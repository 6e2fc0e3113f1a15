// Tests for managedFields on ordinary writes: ownership moves, times, client-sent managedFields, subresources and the entry cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { configMapSchema, deployment, deploymentSchema } from './fixtures';
import { resetFieldsFor } from './reset-fields';
import { updateManagedFields, type UpdateOptions } from './update';

const T0 = Date.parse('2024-05-01T10:00:00Z');
const HOUR = 3600_000;

function cm(data: Record<string, string>, managedFields?: unknown): KObject {
  const obj: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', labels: { app: 'x' } }, data };
  if (managedFields !== undefined) obj.metadata.managedFields = managedFields as KObject['metadata']['managedFields'];
  return obj;
}

function write(old: KObject | undefined, updated: KObject, manager: string, extra: Partial<UpdateOptions> = {}): KObject {
  const res = updateManagedFields({ old, updated, manager, schema: configMapSchema, apiVersion: 'v1', now: T0, ...extra });
  assert.deepEqual(res.object.metadata.managedFields, res.managedFields);
  return res.object;
}

// What the registry keeps on a stored object.
const stored = (o: KObject): KObject => ({ ...o, metadata: { ...o.metadata, uid: 'u-1', resourceVersion: '1' } });
const summary = (o: KObject) => o.metadata.managedFields?.map((e) => [e.manager, e.operation, e.time, e.subresource]);

test('a create is owned by its manager as an Update entry, new maps marked with "."', () => {
  const created = write(undefined, cm({ a: '1', b: '2' }), 'kubectl-create');
  assert.deepEqual(created.metadata.managedFields, [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
    },
  ]);
});

test('an update takes the fields it changed from their previous owner; untouched entries keep their time', () => {
  const created = stored(write(undefined, cm({ a: '1', b: '2' }), 'kubectl-create'));
  const edited = stored(write(created, { ...created, data: { a: '9', b: '2', c: '3' } }, 'kubectl-edit', { now: T0 + HOUR }));
  assert.deepEqual(summary(edited), [
    ['kubectl-create', 'Update', '2024-05-01T10:00:00Z', undefined],
    ['kubectl-edit', 'Update', '2024-05-01T11:00:00Z', undefined],
  ]);
  assert.deepEqual(edited.metadata.managedFields?.[0].fieldsV1, { 'f:data': { '.': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } });
  assert.deepEqual(edited.metadata.managedFields?.[1].fieldsV1, { 'f:data': { 'f:a': {}, 'f:c': {} } });
  // Removing a field takes it out of every set.
  const removed = write(edited, { ...edited, data: { b: '2', c: '3' } }, 'kubectl-edit', { now: T0 + 2 * HOUR });
  assert.deepEqual(removed.metadata.managedFields?.[1].fieldsV1, { 'f:data': { 'f:c': {} } });
});

test('a write that changes nothing leaves managedFields as they were', () => {
  const created = stored(write(undefined, cm({ a: '1' }), 'kubectl-create'));
  const same = write(created, { ...created }, 'someone-else', { now: T0 + HOUR });
  assert.deepEqual(same.metadata.managedFields, created.metadata.managedFields);
});

test('a later write by the same manager merges into its entry and moves its time', () => {
  const created = stored(write(undefined, cm({ a: '1' }), 'm'));
  const again = write(created, { ...created, data: { a: '1', b: '2' } }, 'm', { now: T0 + HOUR });
  assert.deepEqual(summary(again), [['m', 'Update', '2024-05-01T11:00:00Z', undefined]]);
  assert.deepEqual(again.metadata.managedFields?.[0].fieldsV1, { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } });
});

test('client-sent managedFields replace the stored ones; [] and [{}] clear them and tracking stops', () => {
  const created = stored(write(undefined, cm({ a: '1' }), 'kubectl-create'));
  const sent = [{ manager: 'imported', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
  const replaced = write(created, { ...cm({ a: '1' }, sent), metadata: { ...created.metadata, managedFields: sent as never } }, 'kubectl-replace');
  assert.deepEqual(summary(replaced), [['imported', 'Update', undefined, undefined]]);
  for (const reset of [[], [{}]]) {
    const cleared = stored(write(created, { ...created, metadata: { ...created.metadata, managedFields: reset as never } }, 'kubectl-patch'));
    assert.equal(cleared.metadata.managedFields, undefined);
    const later = write(cleared, { ...cleared, data: { a: '2' } }, 'kubectl-edit');
    assert.equal(later.metadata.managedFields, undefined);
  }
});

test('invalid client-sent managedFields are ignored in favour of the stored ones', () => {
  const created = stored(write(undefined, cm({ a: '1' }), 'kubectl-create'));
  const bogus = [{ manager: 'x', operation: 'Bogus', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }];
  const res = write(created, { ...created, metadata: { ...created.metadata, managedFields: bogus as never } }, 'kubectl-edit');
  assert.deepEqual(res.metadata.managedFields, created.metadata.managedFields);
});

test('status writes: own entry with subresource, stored managedFields kept, spec not owned', () => {
  const opts = { schema: deploymentSchema, apiVersion: 'apps/v1' };
  const created = stored(
    write(undefined, { ...(deployment({ replicas: 1 }) as KObject), status: { replicas: 4 } }, 'kubectl-create', {
      ...opts,
      resetFields: resetFieldsFor({ hasStatus: true }),
    }),
  );
  assert.deepEqual(created.metadata.managedFields?.[0].fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  const res = write(
    created,
    { ...created, spec: { replicas: 2 }, status: { replicas: 1, readyReplicas: 1 }, metadata: { ...created.metadata, managedFields: [] } },
    'deployment-controller',
    { ...opts, subresource: 'status', resetFields: resetFieldsFor({ subresource: 'status', hasStatus: true }), now: T0 + HOUR },
  );
  assert.deepEqual(summary(res), [
    ['kubectl-create', 'Update', '2024-05-01T10:00:00Z', undefined],
    ['deployment-controller', 'Update', '2024-05-01T11:00:00Z', 'status'],
  ]);
  assert.deepEqual(res.metadata.managedFields?.[1].fieldsV1, { 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } });
});

test('more than ten Update entries: the oldest merge into ancient-changes', () => {
  let obj = stored(write(undefined, cm({ k0: '0' }), 'm0'));
  for (let i = 1; i <= 10; i++) {
    obj = stored(write(obj, { ...obj, data: { ...obj.data, [`k${i}`]: String(i) } }, `m${i}`, { now: T0 + i * HOUR }));
  }
  const names = obj.metadata.managedFields?.map((e) => e.manager);
  assert.equal(names?.length, 10);
  assert.equal(names?.[0], 'ancient-changes');
  assert.deepEqual(obj.metadata.managedFields?.[0].fieldsV1, {
    'f:data': { '.': {}, 'f:k0': {}, 'f:k1': {} },
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
  });
});

test('Apply entries are listed before Update entries, whatever their time', () => {
  const applied = {
    manager: 'kubectl',
    operation: 'Apply',
    apiVersion: 'v1',
    time: '2024-05-02T00:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:data': { 'f:z': {} } },
  };
  const live = stored(cm({ a: '1', z: '1' }, [applied]));
  const res = write(live, { ...live, data: { a: '2', z: '1' } }, 'kubectl-edit');
  assert.deepEqual(summary(res), [
    ['kubectl', 'Apply', '2024-05-02T00:00:00Z', undefined],
    ['kubectl-edit', 'Update', '2024-05-01T10:00:00Z', undefined],
  ]);
});
