import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { podMountsObject } from './volume-refs';

test('a pod mounts a ConfigMap or Secret through its own volume or a projected source, by name and kind', () => {
  const pod: Pod = {
    spec: {
      containers: [],
      volumes: [
        { name: 'cfg', configMap: { name: 'settings' } },
        { name: 'creds', secret: { secretName: 'db' } },
        { name: 'all', projected: { sources: [{ configMap: { name: 'ca' } }, { secret: { name: 'tls' } }, { serviceAccountToken: { path: 'token' } }] } },
        { name: 'scratch', emptyDir: {} },
      ],
    },
  };
  assert.equal(podMountsObject(pod, 'ConfigMap', 'settings'), true);
  assert.equal(podMountsObject(pod, 'Secret', 'db'), true);
  assert.equal(podMountsObject(pod, 'ConfigMap', 'ca'), true);
  assert.equal(podMountsObject(pod, 'Secret', 'tls'), true);
  assert.equal(podMountsObject(pod, 'Secret', 'settings'), false, 'kinds are not mixed up');
  assert.equal(podMountsObject(pod, 'ConfigMap', 'db'), false);
  assert.equal(podMountsObject(pod, 'ConfigMap', 'other'), false);
  assert.equal(podMountsObject({ spec: { containers: [] } }, 'ConfigMap', 'settings'), false);
});
