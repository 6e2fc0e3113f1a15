// Tests of ServiceAccount admission: the default account for pods that name none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../api/kinds';
import type { KObject } from '../../api/types';
import { serviceAccount } from './service-account';

const pods = builtinResources().find((r) => r.resource === 'pods')!;

function admit(obj: KObject): KObject {
  void serviceAccount().admit({ operation: 'CREATE', resource: pods, subresource: '', namespace: 'ns', name: 'p', object: obj, dryRun: false, user: { username: 'u', groups: [] } });
  return obj;
}

test('pods without an account get "default"; a named account is kept', () => {
  assert.equal(admit({ metadata: { name: 'p' }, spec: { containers: [] } }).spec.serviceAccountName, 'default');
  assert.equal(admit({ metadata: { name: 'p' }, spec: { containers: [] } }).spec.serviceAccount, 'default');
  assert.equal(admit({ metadata: { name: 'p' }, spec: { serviceAccountName: 'robot', containers: [] } }).spec.serviceAccountName, 'robot');
});
