// In-process integration test: the real kubelet against a real API server (memory store) and a private containerd with the busybox test image.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import { startTestApi, type TestApi } from '../../apiserver/testing';
import { eventRecorder } from '../../client/events';
import { SharedInformers } from '../../client/shared-informers';
import { R } from '../../client/types';
import type { Controller, ControllerDeps } from '../../controllers/types';
import { BUSYBOX_IMAGE, BUSYBOX_NONROOT_IMAGE } from '../../images/names';
import { realClock } from '../../util/clock';
import { runtimeSkipReason, startTestRuntime, type TestRuntime } from '../cri/testing';
import { NodeStreamingRegistry } from '../streaming';
import { startRealKubelet } from './index';
import { detectCgroupLayout, removePodCgroup } from './pod-cgroup';
import { LABEL_POD_UID } from './runtime-state';
import { eventually as eventuallyFor } from '../../util/eventually';

const NODE = 'h2-real-node';

// The runtime is slower than the API: longer waits, polled less often.
const eventually = <T>(fn: () => Promise<T | undefined | false>, ms = 20_000) => eventuallyFor(fn, ms, 100);

describe('real kubelet on containerd', { skip: runtimeSkipReason() }, () => {
  let api: TestApi;
  let rt: TestRuntime;
  let informers: SharedInformers;
  let kubelet: Controller | undefined;
  const streaming = new NodeStreamingRegistry();
  let deps: ControllerDeps;
  const pods = () => api.client.resource<KObject & Pod>(R.pods);
  const start = async () => {
    kubelet = await startRealKubelet(deps, { nodeName: NODE, dataDir: rt.dataDir, endpoint: rt.runtime.endpoint, streaming });
  };
  const getPod = (name: string) => pods().get('default', name);
  const status = (p: Pod, name: string) => [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].find((s) => s.name === name);
  const podOn = (name: string, spec: Partial<Pod['spec']>): KObject & Pod =>
    ({ metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 2, containers: [], ...spec } }) as unknown as KObject & Pod;
  const events = async (name: string) =>
    (await api.client.resource(R.events).list('default')).items.filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);

  before(async () => {
    api = await startTestApi();
    rt = await startTestRuntime();
    informers = new SharedInformers(api.client, realClock);
    deps = { client: api.client, informers, clock: realClock, recorder: (c) => eventRecorder(api.client, c, realClock) };
    // What the service account controllers would make: the token volume every pod gets needs both.
    await api.client.resource(R.serviceaccounts).create('default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } });
    await api.client.resource(R.configmaps).create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, data: { 'ca.crt': 'test-ca' } });
    // The node's podCIDR is the test runtime's subnet, so addresses match what its CNI config hands out.
    await api.client.resource(R.nodes).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE }, spec: { podCIDR: rt.podCIDR, podCIDRs: [rt.podCIDR] } });
    await start();
  });
  after(async () => {
    kubelet?.stop();
    informers?.stop();
    const uids = api ? (await pods().list('default')).items.map((p) => p.metadata!.uid!) : [];
    await rt?.cleanup();
    // The kubelet no longer runs to remove the pod cgroups it made.
    const layout = detectCgroupLayout();
    for (const uid of uids) for (const tier of ['', 'burstable/', 'besteffort/']) await removePodCgroup(layout, `/kubepods/${tier}pod${uid}`);
    await api?.close();
  });

  test('registers the node with the host facts and runtime version', async () => {
    const node = await eventually(async () => {
      const n = await api.client.resource(R.nodes).get('', NODE);
      return n.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') && n;
    });
    assert.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/1\./);
    assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.4');
    assert.ok(Number(node.status.capacity.cpu) >= 1);
    assert.equal(node.status.capacity.pods, '110');
    assert.ok(node.status.images.some((i: { names: string[] }) => i.names.some((n) => n.includes('tugboat.local/busybox'))));
    assert.equal(node.metadata.labels['kubernetes.io/hostname'], NODE);
    await eventually(() => api.client.resource(R.leases).get('kube-node-lease', NODE));
    assert.ok(streaming.get(NODE));
  });

  test('runs a pod: Running with a pod IP, its log holds its output, hostname is the pod name', async () => {
    await pods().create(
      'default',
      podOn('hello', { containers: [{ name: 'app', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo hello from $(hostname); sleep 3600'] }] }),
    );
    const p = await eventually(async () => {
      const x = await getPod('hello');
      return x.status?.phase === 'Running' && status(x, 'app')?.ready && x;
    });
    assert.ok(p.status!.podIP!.startsWith(rt.podCIDR.split('.').slice(0, 3).join('.')));
    const s = status(p, 'app')!;
    assert.match(s.containerID!, /^containerd:\/\//);
    assert.equal(s.restartCount, 0);
    assert.ok(p.status!.conditions!.some((c) => c.type === 'Ready' && c.status === 'True'));
    const logPath = await streaming.get(NODE)!.logPath(p, 'app', false);
    assert.ok(logPath?.endsWith('/app/0.log'), logPath);
    await eventually(async () => readFileSync(logPath!, 'utf8').includes('hello from hello'));
    assert.match(await streaming.get(NODE)!.exec(p, 'app', ['cat', '/etc/hostname'], { stdin: false, stdout: true, stderr: true, tty: false }), /^http/);
    const evs = await events('hello');
    for (const r of ['Pulled', 'Created', 'Started']) assert.ok(evs.some((e) => e.startsWith(r)), `${r} in ${evs}`);
  });

  test('a host-network pod has the node address', async () => {
    await pods().create('default', podOn('hostnet', { hostNetwork: true, containers: [{ name: 'app', image: BUSYBOX_IMAGE, command: ['sleep', '3600'] }] }));
    const p = await eventually(async () => {
      const x = await getPod('hostnet');
      return x.status?.phase === 'Running' && x;
    });
    assert.equal(p.status!.podIP, p.status!.hostIP);
  });

  test('init container output reaches the app through an emptyDir; a sidecar keeps running', async () => {
    await pods().create(
      'default',
      podOn('init', {
        volumes: [{ name: 'work', emptyDir: {} }],
        initContainers: [
          { name: 'prep', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo prepared > /work/msg'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
          { name: 'side', image: BUSYBOX_IMAGE, restartPolicy: 'Always', command: ['sh', '-c', 'sleep 3600'] },
        ],
        containers: [{ name: 'app', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'cat /work/msg; sleep 3600'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      }),
    );
    const p = await eventually(async () => {
      const x = await getPod('init');
      return x.status?.phase === 'Running' && status(x, 'app')?.state?.running && x;
    });
    assert.equal(status(p, 'prep')!.state!.terminated!.reason, 'Completed');
    assert.ok(status(p, 'side')!.state!.running);
    // The app follows the running sidecar at once, not at the pod's next periodic sync (10 s).
    const gap = Date.parse(status(p, 'app')!.state!.running!.startedAt!) - Date.parse(status(p, 'side')!.state!.running!.startedAt!);
    assert.ok(gap < 5000, `app started ${gap} ms after the sidecar`);
    assert.ok(p.status!.conditions!.some((c) => c.type === 'Initialized' && c.status === 'True'));
    const logPath = await streaming.get(NODE)!.logPath(p, 'app', false);
    await eventually(async () => readFileSync(logPath!, 'utf8').includes('prepared'));
  });

  test('a crashing container goes into CrashLoopBackOff', async () => {
    await pods().create('default', podOn('crash', { containers: [{ name: 'app', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo dying; exit 3'] }] }));
    const p = await eventually(async () => {
      const x = await getPod('crash');
      const s = status(x, 'app');
      return s?.state?.waiting?.reason === 'CrashLoopBackOff' && x;
    }, 30_000);
    const s = status(p, 'app')!;
    assert.ok(s.restartCount >= 1);
    assert.equal(s.lastState!.terminated!.exitCode, 3);
    assert.equal(s.lastState!.terminated!.reason, 'Error');
    assert.match(s.state!.waiting!.message!, /^back-off 10s restarting failed container=app pod=crash_default/);
    assert.ok((await events('crash')).some((e) => e.startsWith('BackOff: Back-off restarting failed container app in pod crash_default')));
  });

  test('a Never pod that exits 0 Succeeds and its sandbox is stopped', async () => {
    await pods().create('default', podOn('once', { restartPolicy: 'Never', containers: [{ name: 'app', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo all done > /dev/termination-log'] }] }));
    const p = await eventually(async () => {
      const x = await getPod('once');
      return x.status?.phase === 'Succeeded' && x;
    });
    assert.equal(status(p, 'app')!.state!.terminated!.reason, 'Completed');
    assert.equal(status(p, 'app')!.state!.terminated!.message, 'all done\n');
    const { items } = await rt.cri.listPodSandbox({ filter: { labelSelector: { [LABEL_POD_UID]: p.metadata!.uid! } } });
    await eventually(async () => (await rt.cri.listPodSandbox({ filter: { labelSelector: { [LABEL_POD_UID]: p.metadata!.uid! } } })).items.every((s) => s.state === 'SANDBOX_NOTREADY'));
    assert.equal(items.length, 1);
  });

  test('runAsNonRoot with a root image is refused with a clear reason', async () => {
    await pods().create('default', podOn('nonroot', { securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: BUSYBOX_IMAGE, command: ['sleep', '3600'] }] }));
    const p = await eventually(async () => {
      const x = await getPod('nonroot');
      return status(x, 'app')?.state?.waiting?.reason === 'CreateContainerConfigError' && x;
    });
    assert.match(status(p, 'app')!.state!.waiting!.message!, /container has runAsNonRoot and image will run as root/);
    // The nonroot image runs.
    await pods().create('default', podOn('nonroot-ok', { securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: BUSYBOX_NONROOT_IMAGE, command: ['sleep', '3600'] }] }));
    await eventually(async () => (await getPod('nonroot-ok')).status?.phase === 'Running');
  });

  test('a failing liveness probe restarts the container; a failing readiness probe unreadies it', async () => {
    await pods().create(
      'default',
      podOn('probed', {
        containers: [
          {
            name: 'live',
            image: BUSYBOX_IMAGE,
            command: ['sh', '-c', 'touch /tmp/ok; sleep 3600'],
            livenessProbe: { exec: { command: ['cat', '/tmp/nope'] }, periodSeconds: 1, failureThreshold: 1 },
          },
          {
            name: 'ready',
            image: BUSYBOX_IMAGE,
            command: ['sh', '-c', 'sleep 3600'],
            readinessProbe: { exec: { command: ['cat', '/tmp/nope'] }, periodSeconds: 1 },
          },
        ],
      }),
    );
    const p = await eventually(async () => {
      const x = await getPod('probed');
      return (status(x, 'live')?.restartCount ?? 0) >= 1 && x;
    }, 30_000);
    assert.equal(status(p, 'ready')!.ready, false);
    assert.ok(p.status!.conditions!.some((c) => c.type === 'Ready' && c.status === 'False'));
    const evs = await events('probed');
    assert.ok(evs.some((e) => e.startsWith('Unhealthy: Liveness probe failed:')), evs.join('\n'));
    assert.ok(evs.some((e) => e === 'Killing: Container live failed liveness probe, will be restarted'), evs.join('\n'));
  });

  test('a missing image gives ErrImagePull, then ImagePullBackOff', async () => {
    await pods().create('default', podOn('noimage', { containers: [{ name: 'app', image: '127.0.0.1:1/nope:1' }] }));
    // ErrImagePull is shown until the next sync, which finds the pull backing off.
    const p = await eventually(async () => {
      const x = await getPod('noimage');
      return status(x, 'app')?.state?.waiting?.reason === 'ImagePullBackOff' && x;
    });
    assert.match(status(p, 'app')!.state!.waiting!.message!, /^Back-off pulling image "127.0.0.1:1\/nope:1": ErrImagePull: /);
    const evs = await events('noimage');
    assert.ok(evs.includes('Failed: Error: ErrImagePull'), evs.join('\n'));
    assert.ok(evs.includes('Failed: Error: ImagePullBackOff'), evs.join('\n'));
    assert.ok(evs.some((e) => e.startsWith('Failed: Failed to pull image "127.0.0.1:1/nope:1"')), evs.join('\n'));
    assert.ok(evs.some((e) => e === 'BackOff: Back-off pulling image "127.0.0.1:1/nope:1"'), evs.join('\n'));
  });

  test('a kubelet restart re-adopts running pods without restarting them', async () => {
    const before = status(await getPod('hello'), 'app')!;
    kubelet!.stop();
    await start();
    // Give the new kubelet a few relists.
    await new Promise((r) => setTimeout(r, 3000));
    const after = status(await getPod('hello'), 'app')!;
    assert.equal(after.containerID, before.containerID);
    assert.equal(after.restartCount, 0);
    assert.ok(after.state?.running);
  });

  test('deleting a pod runs preStop, stops it within the grace period and removes it', async () => {
    await pods().create(
      'default',
      podOn('bye', {
        terminationGracePeriodSeconds: 5,
        volumes: [{ name: 'out', hostPath: { path: join(rt.dataDir, 'prestop-out'), type: 'DirectoryOrCreate' } }],
        containers: [
          {
            name: 'app',
            image: BUSYBOX_IMAGE,
            command: ['sh', '-c', 'sleep 3600'],
            volumeMounts: [{ name: 'out', mountPath: '/out' }],
            lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo stopping > /out/prestop'] } } },
          },
        ],
      }),
    );
    const p = await eventually(async () => {
      const x = await getPod('bye');
      return x.status?.phase === 'Running' && x;
    });
    const t0 = Date.now();
    await pods().delete('default', 'bye');
    await eventually(async () => {
      try {
        await getPod('bye');
        return false;
      } catch (e) {
        return (e as { code?: number }).code === 404;
      }
    });
    assert.ok(Date.now() - t0 < 9000, `took ${Date.now() - t0} ms`);
    assert.ok((await events('bye')).some((e) => e === 'Killing: Stopping container app'));
    assert.equal(readFileSync(join(rt.dataDir, 'prestop-out', 'prestop'), 'utf8'), 'stopping\n');
    await eventually(async () => (await rt.cri.listPodSandbox({ filter: { labelSelector: { [LABEL_POD_UID]: p.metadata!.uid! } } })).items.length === 0);
  });

  test('sandboxes of pods that no longer exist are removed', async () => {
    const p = await getPod('once');
    await pods().delete('default', 'once', { gracePeriodSeconds: 0 });
    await eventually(async () => (await rt.cri.listPodSandbox({ filter: { labelSelector: { [LABEL_POD_UID]: p.metadata!.uid! } } })).items.length === 0);
  });
});
