// In-process integration test: sim kubelets against a real API server (memory store), no HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { startTestApi } from '../../apiserver/testing';
import { eventRecorder } from '../../client/events';
import { SharedInformers } from '../../client/shared-informers';
import { R } from '../../client/types';
import type { ControllerDeps } from '../../controllers/types';
import { realClock } from '../../util/clock';
import { eventually } from '../../util/eventually';
import { startSimKubelets } from './index';
import { simNodeObject } from './sim-node';

const ready = (n: KObject) => n.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');

test('sim kubelets register nodes, renew leases and run pods through their lifecycle', async () => {
  const t = await startTestApi();
  const informers = new SharedInformers(t.client, realClock);
  const deps: ControllerDeps = { client: t.client, informers, clock: realClock, recorder: (c) => eventRecorder(t.client, c, realClock) };
  const kubelets = startSimKubelets(deps, { initialNodes: 2, timing: { sandboxMs: 300, initMs: 300, defaultRunMs: 500 }, leaseDurationSeconds: 1 });
  const nodes = t.client.resource(R.nodes);
  const pods = t.client.resource(R.pods);
  try {
    const n1 = await eventually(async () => {
      const n = await nodes.get('', 'sim-node-1');
      return ready(n) && n;
    });
    assert.equal(n1.spec.podCIDR, '10.244.1.0/24');
    assert.equal(n1.metadata.labels['kubernetes.io/hostname'], 'sim-node-1');
    assert.equal(n1.status.capacity.cpu, '8');
    assert.equal(n1.status.nodeInfo.kubeletVersion, 'v1.32.4');
    await eventually(() => t.client.resource(R.leases).get('kube-node-lease', 'sim-node-2'));

    // A node added later gets a kubelet too, with its own CIDR and capacity.
    await nodes.create('', simNodeObject('gpu-1', { capacity: { 'nvidia.com/gpu': '2' }, labels: { accel: 'nvidia' } }));
    const gpu = await eventually(async () => {
      const n = await nodes.get('', 'gpu-1');
      return ready(n) && n.spec?.podCIDR && n;
    });
    assert.equal(gpu.status.allocatable['nvidia.com/gpu'], '2');
    assert.equal(gpu.spec.podCIDR, '10.244.0.0/24');

    await pods.create('default', { metadata: { name: 'web' }, spec: { nodeName: 'sim-node-1', containers: [{ name: 'app', image: 'nginx' }] } });
    const web = await eventually(async () => {
      const p = await pods.get('default', 'web');
      return p.status?.phase === 'Running' && p.status.conditions.find((c: { type: string }) => c.type === 'Ready')?.status === 'True' && p;
    });
    assert.match(web.status.podIP, /^10\.244\.1\.\d+$/);
    assert.equal(web.status.hostIP, '172.18.0.3');
    assert.equal(web.status.qosClass, 'BestEffort');

    await pods.create('default', {
      metadata: { name: 'job', annotations: { 'tugboat.dev/sim-run-seconds': '1' } },
      spec: { nodeName: 'sim-node-2', restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }] },
    });
    await eventually(async () => (await pods.get('default', 'job')).status?.phase === 'Succeeded');

    // Graceful deletion: containers stop at once, the object goes after the grace period.
    await pods.delete('default', 'web', { gracePeriodSeconds: 2 });
    const terminating = await eventually(async () => {
      const p = await pods.get('default', 'web');
      return p.status.containerStatuses[0].state.terminated && p;
    });
    assert.ok(terminating.metadata.deletionTimestamp);
    await eventually(async () => {
      try {
        await pods.get('default', 'web');
        return false;
      } catch (e) {
        return (e as { code?: number }).code === 404;
      }
    });

    // Stopped heartbeats: the lease is no longer renewed.
    await nodes.patch('', 'sim-node-2', 'merge', { metadata: { annotations: { 'tugboat.dev/heartbeats': 'stopped' } } });
    await new Promise((r) => setTimeout(r, 200));
    const before = (await t.client.resource(R.leases).get('kube-node-lease', 'sim-node-2')).spec.renewTime;
    await new Promise((r) => setTimeout(r, 1500));
    const after = (await t.client.resource(R.leases).get('kube-node-lease', 'sim-node-2')).spec.renewTime;
    assert.equal(after, before);
    const other = (await t.client.resource(R.leases).get('kube-node-lease', 'sim-node-1')).spec.renewTime;
    assert.ok(Date.parse(other) > Date.parse(before));
  } finally {
    kubelets.stop();
    informers.stop();
    await t.close();
  }
});

test('Lease renewals go on while every pod worker is stuck on a slow write', async () => {
  const t = await startTestApi();
  // Pod status writes never finish: the one pod worker stays busy for the whole test.
  const client = {
    ...t.client,
    resource: (gvr: typeof R.pods) => {
      const real = t.client.resource(gvr);
      return gvr === R.pods ? { ...real, updateStatus: () => new Promise<never>(() => {}) } : real;
    },
  } as typeof t.client;
  const informers = new SharedInformers(client, realClock);
  const deps: ControllerDeps = { client, informers, clock: realClock, recorder: (c) => eventRecorder(client, c, realClock) };
  const kubelets = startSimKubelets(deps, { initialNodes: 1, workers: 1, leaseDurationSeconds: 1 });
  const leases = t.client.resource(R.leases);
  try {
    await eventually(() => leases.get('kube-node-lease', 'sim-node-1'));
    await t.client.resource(R.pods).create('default', { metadata: { name: 'stuck' }, spec: { nodeName: 'sim-node-1', containers: [{ name: 'app', image: 'nginx' }] } });
    await new Promise((r) => setTimeout(r, 300));
    const before = (await leases.get('kube-node-lease', 'sim-node-1')).spec.renewTime;
    await eventually(async () => (await leases.get('kube-node-lease', 'sim-node-1')).spec.renewTime !== before, 3000);
  } finally {
    kubelets.stop();
    informers.stop();
    await t.close();
  }
});
