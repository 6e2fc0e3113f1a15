// Tests that remembered create results equal the ones computed the long way, and that different shapes never share one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SchemaNode } from '../../api/schema';
import type { KObject } from '../../api/types';
import { fieldShape } from './create-memo';
import { deployment, deploymentSchema } from './fixtures';
import { resetFieldsFor } from './reset-fields';
import { updateManagedFields } from './update';

const T0 = Date.parse('2024-05-01T10:00:00Z');

function create(obj: Record<string, unknown>, schema: SchemaNode, now: number, manager = 'kube-controller-manager') {
  return updateManagedFields({ old: undefined, updated: obj as KObject, manager, schema, apiVersion: 'apps/v1', now, resetFields: resetFieldsFor({ hasStatus: true }) });
}

// A schema equal to the shared one but with its own identity, so nothing is remembered for it yet: the long way.
const longWay = (obj: Record<string, unknown>, now: number, manager?: string) => create(obj, structuredClone(deploymentSchema), now, manager);

const template = (name: string, labels: Record<string, string>, containers: unknown[]) =>
  deployment({ replicas: 2, template: { metadata: { labels }, spec: { containers } } }, { name, labels });

test('a create of a known shape gets the same managedFields as computed the long way, with its own time', () => {
  const first = template('a', { app: 'web' }, [{ name: 'app', image: 'nginx:1' }]);
  const second = template('b', { app: 'other' }, [{ name: 'app', image: 'nginx:1' }]);
  assert.equal(fieldShape(first), fieldShape(second));
  create(first, deploymentSchema, T0);
  const later = T0 + 5000;
  const remembered = create(second, deploymentSchema, later);
  assert.deepEqual(remembered, longWay(second, later));
  assert.equal(remembered.managedFields?.[0].time, '2024-05-01T10:00:05Z');
  // The result is the caller's own: changing it does not change what is remembered.
  (remembered.managedFields![0].fieldsV1 as Record<string, unknown>)['f:spec'] = {};
  assert.deepEqual(create(second, deploymentSchema, later), longWay(second, later));
});

test('different shapes, list items or managers are never mixed up', () => {
  const cases = [
    template('a', { app: 'web' }, [{ name: 'app', image: 'nginx:1' }]),
    template('a', { app: 'web', tier: 'front' }, [{ name: 'app', image: 'nginx:1' }]),
    template('a', { app: 'web' }, [{ name: 'side', image: 'nginx:1' }]),
    template('a', { app: 'web' }, [{ name: 'app', image: 'nginx:1' }, { name: 'side', image: 'busybox' }]),
    template('a', { app: 'web' }, [{ name: 'app', image: 'nginx:1', ports: [{ containerPort: 80 }] }]),
    template('a', {}, []),
  ];
  for (const c of cases) create(c, deploymentSchema, T0);
  for (const c of cases) {
    assert.deepEqual(create(c, deploymentSchema, T0), longWay(c, T0));
    assert.deepEqual(create(c, deploymentSchema, T0, 'someone-else'), longWay(c, T0, 'someone-else'));
  }
});
