// e2e: the official JavaScript client (@kubernetes/client-node 1.x) lists, creates and watches.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startCluster, TestCluster } from '../support/cluster';

let c: TestCluster;
before(async () => {
  c = await startCluster();
});
after(async () => {
  await c?.stop();
});

test('client-node lists namespaces, creates a config map and watches it change', async () => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const ns = await core.listNamespace();
  assert.ok(ns.items.some((n) => n.metadata?.name === 'kube-system'));

  const events: string[] = [];
  const watch = new k8s.Watch(kc);
  const req = await watch.watch(
    '/api/v1/namespaces/default/configmaps',
    { resourceVersion: ns.metadata?.resourceVersion },
    (type, obj: k8s.V1ConfigMap) => events.push(`${type} ${obj.metadata?.name} ${obj.data?.k ?? ''}`),
    () => undefined,
  );
  const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-client' }, data: { k: 'v1' } } });
  assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
  await core.patchNamespacedConfigMap(
    { name: 'from-client', namespace: 'default', body: { data: { k: 'v2' } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  await core.deleteNamespacedConfigMap({ name: 'from-client', namespace: 'default' });
  for (let i = 0; i < 50 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 100));
  req.abort();
  assert.deepEqual(events, ['ADDED from-client v1', 'MODIFIED from-client v2', 'DELETED from-client v2']);
});
