// e2e: tugboat's own HTTPS client (used by the CLI and agents) against a started cluster.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { httpClientFromKubeconfig } from '../../src/client/http-client';
import { R } from '../../src/client/types';
import { StatusError } from '../../src/machinery/errors';
import { startCluster, TestCluster } from '../support/cluster';

let c: TestCluster;
before(async () => {
  c = await startCluster();
});
after(async () => {
  await c?.stop();
});

test('lists, creates, patches, watches and deletes; errors are StatusErrors', async () => {
  const cms = httpClientFromKubeconfig(c.kubeconfig, 'http-client-test').resource(R.configmaps);
  const list = await cms.list('default');
  const events: string[] = [];
  const w = cms.watch('default', { resourceVersion: list.resourceVersion }, (ev) => events.push(`${ev.type} ${ev.object.metadata.name} ${ev.object.data?.k}`), () => undefined);
  await cms.create('default', { metadata: { name: 'hc' }, data: { k: '1' } });
  await cms.patch('default', 'hc', 'merge', { data: { k: '2' } });
  const applied = await cms.patch('default', 'hc2', 'apply', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hc2' }, data: { k: 'a' } }, { force: true });
  assert.equal(applied.metadata.managedFields?.[0].manager, 'http-client-test');
  await cms.delete('default', 'hc');
  await assert.rejects(cms.get('default', 'hc'), (e: unknown) => e instanceof StatusError && e.code === 404 && e.reason === 'NotFound');
  for (let i = 0; i < 100 && events.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
  w.stop();
  assert.deepEqual(events, ['ADDED hc 1', 'MODIFIED hc 2', 'ADDED hc2 a', 'DELETED hc 2']);
});
