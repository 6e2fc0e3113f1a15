// Tests of ServiceAccount admission: the default account for pods that name none, and the API access token volume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../api/kinds';
import type { KObject } from '../../api/types';
import { serviceAccount, SERVICE_ACCOUNT_MOUNT_PATH } from './service-account';

const pods = builtinResources().find((r) => r.resource === 'pods')!;

function admit(obj: KObject, accounts: KObject[] = []): KObject {
  void serviceAccount(() => accounts).admit({ operation: 'CREATE', resource: pods, subresource: '', namespace: 'ns', name: 'p', object: obj, dryRun: false, user: { username: 'u', groups: [] } });
  return obj;
}

test('pods without an account get "default"; a named account is kept', () => {
  assert.equal(admit({ metadata: { name: 'p' }, spec: { containers: [] } }).spec.serviceAccountName, 'default');
  assert.equal(admit({ metadata: { name: 'p' }, spec: { containers: [] } }).spec.serviceAccount, 'default');
  assert.equal(admit({ metadata: { name: 'p' }, spec: { serviceAccountName: 'robot', containers: [] } }).spec.serviceAccountName, 'robot');
});

test('every container mounts one kube-api-access volume with token, CA and namespace', () => {
  const pod = admit({ metadata: { name: 'p' }, spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }, { name: 'b', volumeMounts: [{ name: 'own', mountPath: SERVICE_ACCOUNT_MOUNT_PATH }] }] } });
  assert.equal(pod.spec.volumes.length, 1);
  const vol = pod.spec.volumes[0];
  assert.match(vol.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(vol.projected.sources.map((s: KObject) => Object.keys(s)[0]), ['serviceAccountToken', 'configMap', 'downwardAPI']);
  assert.equal(vol.projected.sources[0].serviceAccountToken.expirationSeconds, 3607);
  assert.deepEqual(pod.spec.initContainers[0].volumeMounts, [{ name: vol.name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }]);
  assert.deepEqual(pod.spec.containers[0].volumeMounts, [{ name: vol.name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }]);
  assert.deepEqual(pod.spec.containers[1].volumeMounts, [{ name: 'own', mountPath: SERVICE_ACCOUNT_MOUNT_PATH }], 'a container mounting its own is left alone');
});

test('automountServiceAccountToken: false on the pod, or on the account when the pod says nothing, mounts nothing', () => {
  assert.equal(admit({ metadata: { name: 'p' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'a' }] } }).spec.volumes, undefined);
  const robot = { metadata: { name: 'robot' }, automountServiceAccountToken: false };
  assert.equal(admit({ metadata: { name: 'p' }, spec: { serviceAccountName: 'robot', containers: [{ name: 'a' }] } }, [robot]).spec.volumes, undefined);
  assert.equal(admit({ metadata: { name: 'p' }, spec: { serviceAccountName: 'robot', automountServiceAccountToken: true, containers: [{ name: 'a' }] } }, [robot]).spec.volumes.length, 1);
});
