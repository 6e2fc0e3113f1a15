// Tests for the registry adapter: schemas looked up per kind, the clock's time, status reset on the main resource.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject, ResourceInfo } from '../../api/types';
import { createFieldManager } from './field-manager';
import { deployment, deploymentSchema } from './fixtures';

const r = { group: 'apps', version: 'v1', kind: 'Deployment', definition: 'io.k8s.api.apps.v1.Deployment', status: true } as ResourceInfo;
const fm = createFieldManager({
  schemas: { definition: (name) => (name === r.definition ? deploymentSchema : undefined) },
  clock: { now: () => Date.parse('2024-05-01T10:00:00Z'), setTimeout: () => ({ cancel() {} }) },
});

test('update records the write in place; apply returns the merged object', () => {
  const created = { ...(deployment({ replicas: 1 }) as KObject), status: { replicas: 1 } };
  created.metadata.uid = 'u-1';
  fm.update(r, undefined, created, 'kubectl-create', '');
  assert.deepEqual(created.metadata.managedFields?.map((e) => [e.manager, e.operation, e.apiVersion, e.time]), [
    ['kubectl-create', 'Update', 'apps/v1', '2024-05-01T10:00:00Z'],
  ]);
  assert.deepEqual(created.metadata.managedFields?.[0].fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  const err = (() => {
    try {
      fm.apply(r, created, deployment({ replicas: 2 }) as KObject, 'alice', false);
    } catch (e) {
      return e as Error;
    }
  })();
  assert.equal(err?.message, 'Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.replicas');
  const applied = fm.apply(r, created, deployment({ replicas: 2 }) as KObject, 'alice', true);
  assert.equal((applied.spec as { replicas: number }).replicas, 2);
  assert.deepEqual(applied.metadata.managedFields?.map((e) => e.manager), ['alice']);
});
