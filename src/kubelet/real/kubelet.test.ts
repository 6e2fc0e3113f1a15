import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, Volume } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import { R } from '../../client/types';
import { startTestbed, until } from '../../controllers/testing';
import { contentChanged, PodManager, podsToSync, specChanged } from './kubelet';
import type { PodWorkers } from './pod-worker';
import type { RuntimeReader } from './runtime';

test('status-only pod updates do not wake the pod worker; spec, deletion and labels do', () => {
  const pod: KObject = { metadata: { name: 'p', uid: 'u', resourceVersion: '1', labels: { a: '1' } }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Pending' } };
  assert.equal(specChanged(pod, { ...pod, metadata: { ...pod.metadata, resourceVersion: '2' }, status: { phase: 'Running' } }), false);
  assert.equal(specChanged(pod, { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }), true);
  assert.equal(specChanged(pod, { ...pod, metadata: { ...pod.metadata, labels: { a: '2' } } }), true);
  assert.equal(specChanged(pod, { ...pod, spec: { containers: [{ name: 'c', image: 'x' }] } }), true);
});

test('a relist wakes pods whose runtime state changed, unless their worker already read that state', () => {
  const seen = new Map([['a', 's1=READY'], ['b', 's2=READY'], ['gone', 's3=READY']]);
  const now = new Map([['a', 's1=READY,c1=RUNNING'], ['b', 's2=READY,c2=RUNNING'], ['orphan', 's4=READY'], ['same', 's5=READY']]);
  const observed = new Map([['b', 's2=READY,c2=RUNNING']]);
  const known = new Set(['a', 'b', 'gone', 'same']);
  seen.set('same', 's5=READY');
  const woken = podsToSync(seen, now, (u) => observed.get(u), (u) => known.has(u));
  // a changed behind its worker's back; b's worker saw the change itself; orphan has no API pod; gone left the runtime.
  assert.deepEqual(woken.sort(), ['a', 'gone', 'orphan']);
});

test('ConfigMap and Secret content changes are told apart from metadata-only updates', () => {
  const cm = (data: Record<string, string>, labels?: Record<string, string>) => ({ metadata: { name: 'c', labels }, data }) as KObject;
  assert.equal(contentChanged(cm({ a: '1' }), cm({ a: '2' })), true);
  assert.equal(contentChanged(cm({ a: '1' }), cm({ a: '1' }, { x: 'y' })), false);
  assert.equal(contentChanged({ metadata: {}, binaryData: { b: 'AA==' } } as KObject, { metadata: {}, binaryData: { b: 'AQ==' } } as KObject), true);
});

test('a changed ConfigMap or Secret queues a sync of the pods of this node that mount it, and only those', async () => {
  const bed = await startTestbed();
  const synced: string[] = [];
  const workers = { syncPod: async (p: Pod) => (synced.push(p.metadata!.name!), {}), cleanup: async () => undefined } as unknown as PodWorkers;
  const reader = { relist: async () => ({ sandboxes: [], containers: [] }), lastObserved: () => undefined } as unknown as RuntimeReader;
  const manager = new PodManager(bed.deps, { nodeName: 'n1' }, workers, reader);
  try {
    const pods = bed.client.resource(R.pods);
    const mk = (name: string, nodeName: string, volumes: Volume[]) => pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'x' }], volumes } });
    await bed.client.resource(R.configmaps).create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'blue' } });
    await bed.client.resource(R.secrets).create('default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { pw: 'YQ==' } });
    await mk('cm-user', 'n1', [{ name: 'v', configMap: { name: 'settings' } }]);
    await mk('secret-user', 'n1', [{ name: 'v', projected: { sources: [{ secret: { name: 'creds' } }] } }]);
    await mk('elsewhere', 'n2', [{ name: 'v', configMap: { name: 'settings' } }]);
    await manager.start();
    await until('first syncs', () => synced.length === 2);
    synced.length = 0;
    await bed.client.resource(R.configmaps).patch('default', 'settings', 'merge', { data: { mode: 'green' } });
    await until('cm-user synced', () => synced.includes('cm-user'));
    await bed.client.resource(R.secrets).patch('default', 'creds', 'merge', { data: { pw: 'Yg==' } });
    await until('secret-user synced', () => synced.includes('secret-user'));
    await bed.client.resource(R.configmaps).patch('default', 'settings', 'merge', { metadata: { labels: { only: 'labels' } } });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(synced.sort(), ['cm-user', 'secret-user'], 'one sync each; none for a label change or the pod of another node');
  } finally {
    manager.stop();
    await bed.close();
  }
});
