// In-process test of the StatefulSet controller against a real API server, with the test playing the kubelet.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/types';
import type { Controller } from '../types';
import type { Harness } from '../testing';
import { startHarness } from '../testing';
import { startStatefulSetController } from './index';

let h: Harness;
let ctl: Controller;
before(async () => {
  h = await startHarness();
  ctl = startStatefulSetController(h.deps);
});
after(async () => {
  ctl.stop();
  await h.stop();
});

const names = async (ns: string) => (await h.pods(ns)).map((p) => p.metadata.name);

test('OrderedReady: web-0, web-1, web-2 one after another with claims, then scale down in reverse and roll an update', async () => {
  const sets = h.client.resource(R.statefulsets);
  await sets.create('default', {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      replicas: 3,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  });
  for (const i of [0, 1, 2]) {
    await h.until(async () => (await names('default')).length === i + 1, 5000, `web-${i}`);
    assert.deepEqual(await names('default'), ['web-0', 'web-1', 'web-2'].slice(0, i + 1));
    // The next pod waits for this one to be running and ready.
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await names('default')).length, i + 1);
    await h.runPod('default', `web-${i}`);
  }
  const claims = (await h.client.resource(R.persistentvolumeclaims).list('default')).items.map((c) => c.metadata.name).sort();
  assert.deepEqual(claims, ['www-web-0', 'www-web-1', 'www-web-2']);
  const pod = (await h.pods('default'))[1];
  assert.equal(pod.spec.hostname, 'web-1');
  assert.equal(pod.spec.subdomain, 'web');
  assert.equal(pod.metadata.labels!['apps.kubernetes.io/pod-index'], '1');
  assert.deepEqual(pod.spec.volumes!.find((v) => v.name === 'www')?.persistentVolumeClaim, { claimName: 'www-web-1' });
  await h.until(async () => (await sets.get('default', 'web')).status?.readyReplicas === 3, 5000, 'readyReplicas 3');
  const st = (await sets.get('default', 'web')).status;
  assert.equal(st.replicas, 3);
  assert.equal(st.observedGeneration, 1);
  assert.equal(st.currentRevision, st.updateRevision);
  const revs = (await h.client.resource(R.controllerrevisions).list('default')).items;
  assert.deepEqual(revs.map((r) => r.metadata.name), [st.updateRevision]);
  assert.ok((await h.events('default')).includes('SuccessfulCreate: create Pod web-0 in StatefulSet web successful'));
  assert.ok((await h.events('default')).includes('SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success'));

  await sets.patch('default', 'web', 'merge', { spec: { replicas: 1 } });
  await h.until(async () => (await names('default')).length === 1, 5000, 'scale down to 1');
  assert.deepEqual(await names('default'), ['web-0']);
  const deletes = (await h.events('default')).filter((e) => e.startsWith('SuccessfulDelete'));
  assert.deepEqual(deletes, ['SuccessfulDelete: delete Pod web-2 in StatefulSet web successful', 'SuccessfulDelete: delete Pod web-1 in StatefulSet web successful']);

  await sets.patch('default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
  await h.until(async () => (await h.pods('default'))[0]?.spec.containers[0].image === 'nginx:2', 5000, 'web-0 at nginx:2');
  await h.runPod('default', 'web-0');
  await h.until(async () => {
    const s = (await sets.get('default', 'web')).status;
    return s.currentRevision === s.updateRevision && s.updatedReplicas === 1 && s.readyReplicas === 1 && s.observedGeneration === 3;
  }, 5000, 'update complete');
  assert.equal((await h.client.resource(R.controllerrevisions).list('default')).items.length, 2);
});

test('Parallel creates all pods at once', async () => {
  await h.client.resource(R.namespaces).create('', { metadata: { name: 'par' } });
  await h.client.resource(R.statefulsets).create('par', {
    metadata: { name: 'db' },
    spec: {
      replicas: 3,
      podManagementPolicy: 'Parallel',
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'db' }] } },
    },
  });
  await h.until(async () => (await names('par')).length === 3, 5000, 'three pods');
  assert.deepEqual(await names('par'), ['db-0', 'db-1', 'db-2']);
});
