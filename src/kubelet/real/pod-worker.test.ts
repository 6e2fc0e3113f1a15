// The pod worker against a scripted runtime: what overlaps a new pod's sandbox and what waits for what; a liveness kill.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { Client } from '../../client/types';
import { realClock } from '../../util/clock';
import { Backoff } from './backoff';
import type { ContainerParts } from './container-config';
import { ImagePuller } from './image-puller';
import { PodWorkers, type PodProbes } from './pod-worker';
import { RuntimeReader, type CriRuntime } from './runtime';
import { LABEL_POD_UID } from './runtime-state';
import type { VolumeSetUpResult } from './volumes';

/** A promise with its resolve at hand. */
function gate<T = void>(): { promise: Promise<T>; open(v?: T): void } {
  let open!: (v?: T) => void;
  const promise = new Promise<T>((r) => (open = r as (v?: T) => void));
  return { promise, open };
}

/** Lets every pending callback and timer-free continuation run. */
const settle = () => new Promise((r) => setTimeout(r, 20));

const pod: Pod = {
  metadata: { name: 'web', namespace: 'default', uid: 'uid-1', resourceVersion: '1' },
  spec: { nodeName: 'n1', containers: [{ name: 'main', image: 'busybox:1', imagePullPolicy: 'IfNotPresent' }] },
  status: { phase: 'Pending' },
};

describe('pod worker, first sync of a new pod', () => {
  let dir: string;
  let calls: string[];
  let sandbox: ReturnType<typeof gate>;
  let volumes: ReturnType<typeof gate<VolumeSetUpResult>>;
  let events: string[];
  let posted: Pod[];
  let workers: PodWorkers;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tugboat-worker-'));
    calls = [];
    events = [];
    posted = [];
    sandbox = gate();
    volumes = gate<VolumeSetUpResult>();
    const at = Date.now() * 1e6;
    const cri = {
      listPodSandbox: async () => ({ items: [] }),
      listContainers: async () => ({ containers: [] }),
      async runPodSandbox() {
        calls.push('runPodSandbox');
        await sandbox.promise;
        calls.push('sandbox made');
        return { podSandboxId: 'sb1' };
      },
      podSandboxStatus: async () => ({
        status: { id: 'sb1', state: 'SANDBOX_READY', createdAt: at, metadata: { name: 'web', namespace: 'default', uid: 'uid-1', attempt: 0 }, network: { ip: '10.88.0.5', additionalIps: [] } },
      }),
      async imageStatus() {
        calls.push('imageStatus');
        return { image: { id: 'sha256:abc', username: '' } };
      },
      async createContainer() {
        calls.push('createContainer');
        return { containerId: 'c1' };
      },
      async startContainer() {
        calls.push('startContainer');
        return {};
      },
      containerStatus: async () => ({
        status: { id: 'c1', state: 'CONTAINER_RUNNING', createdAt: at, startedAt: at, finishedAt: 0, exitCode: 0, metadata: { name: 'main', attempt: 0 }, image: { image: 'busybox:1' }, imageRef: 'sha256:abc', annotations: {}, labels: {} },
      }),
    } as unknown as CriRuntime;
    const recorder = { event: (_o: unknown, _t: string, reason: string, message: string) => void events.push(`${reason}: ${message}`) };
    const client = {
      resource: () => ({
        updateStatus: async (_ns: string, obj: Pod) => {
          posted.push(obj);
          return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(posted.length + 1) } };
        },
      }),
    } as unknown as Client;
    const parts: ContainerParts = {
      env: async () => [],
      volumes: async () => {
        calls.push('volumes');
        return volumes.promise;
      },
      tearDown: async () => undefined,
    };
    const probes: PodProbes = { unhealthy: () => new Map(), started: () => true, ready: () => true, sync: () => undefined, forget: () => undefined };
    const reader = new RuntimeReader(cri);
    await reader.relist(); // the pod is new: the relist did not see it
    workers = new PodWorkers(
      { nodeName: 'n1', dataDir: dir, hostIP: '10.0.0.1', memoryCapacityBytes: 1 << 30, dns: { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', host: { servers: [], searches: [], options: [] } }, cgroups: { root: join(dir, 'cgroup'), v2: false }, sandboxSeccomp: { profileType: 'RuntimeDefault', localhostRef: '' } },
      { client, clock: realClock, recorder, cri, reader, images: new ImagePuller(cri, realClock, recorder, async () => undefined), parts, probes, backoff: new Backoff() },
    );
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the sandbox while volumes are set up and the image is checked; the container waits for the volumes', async () => {
    const sync = workers.syncPod(pod);
    await settle();
    // All three are under way before the sandbox exists.
    assert.deepEqual([...calls].sort(), ['imageStatus', 'runPodSandbox', 'volumes']);
    assert.deepEqual(events, ['Pulled: Container image "busybox:1" already present on machine']);
    sandbox.open();
    await settle();
    assert.equal(calls.includes('createContainer'), false, 'no container before its volumes');
    volumes.open({ volumes: new Map(), errors: [] });
    const res = await sync;
    assert.deepEqual(calls.slice(-2), ['createContainer', 'startContainer']);
    assert.equal(posted.at(-1)?.status?.phase, 'Running');
    assert.equal(posted.at(-1)?.status?.podIP, '10.88.0.5');
    assert.ok(res.requeueAfterMs !== undefined);
  });

  it('a volume that cannot be set up keeps the containers from starting: FailedMount, status posted, retried soon', async () => {
    sandbox.open();
    volumes.open({ volumes: new Map(), errors: [{ volume: 'cfg', message: 'configmap "cfg" not found' }] });
    const res = await workers.syncPod(pod);
    assert.equal(calls.includes('createContainer'), false);
    assert.ok(events.includes('FailedMount: configmap "cfg" not found'));
    assert.equal(posted.at(-1)?.status?.phase, 'Pending');
    assert.equal(res.requeueAfterMs, 2000);
  });

  it('a sync does not end before its volume set-up does, even when the sandbox fails', async () => {
    const failing = (workers as unknown as { d: { cri: CriRuntime } }).d.cri;
    failing.runPodSandbox = async () => {
      throw new Error('no network');
    };
    let ended = false;
    const sync = workers.syncPod(pod).then(
      () => (ended = true),
      (e: Error) => ((ended = true), e),
    );
    await settle();
    assert.equal(ended, false, 'still waiting for the volumes');
    volumes.open({ volumes: new Map(), errors: [] });
    assert.equal(((await sync) as Error).message, 'no network');
    assert.ok(events.some((e) => e.startsWith('FailedCreatePodSandBox: Failed to create pod sandbox: no network')));
  });
});

describe('pod worker, a container failing its liveness probe', () => {
  it('is stopped, and the pod is looked at again at once: the next sync starts it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tugboat-worker-'));
    try {
      const at = Date.now() * 1e6;
      const labels = { [LABEL_POD_UID]: 'uid-1' };
      let running = true;
      const calls: string[] = [];
      const container = () => ({
        id: 'c1',
        podSandboxId: 'sb1',
        state: running ? 'CONTAINER_RUNNING' : 'CONTAINER_EXITED',
        createdAt: at,
        startedAt: at,
        finishedAt: running ? 0 : Date.now() * 1e6,
        exitCode: running ? 0 : 137,
        metadata: { name: 'main', attempt: 0 },
        image: { image: 'busybox:1' },
        imageRef: 'sha256:abc',
        labels,
        annotations: {},
      });
      const sandbox = { id: 'sb1', state: 'SANDBOX_READY', createdAt: at, metadata: { name: 'web', namespace: 'default', uid: 'uid-1', attempt: 0 }, labels, network: { ip: '10.88.0.5', additionalIps: [] } };
      const cri = {
        listPodSandbox: async () => ({ items: [sandbox] }),
        listContainers: async () => ({ containers: [container()] }),
        podSandboxStatus: async () => ({ status: sandbox }),
        containerStatus: async () => ({ status: container() }),
        async stopContainer() {
          calls.push('stopContainer');
          running = false;
          return {};
        },
      } as unknown as CriRuntime;
      const recorder = { event: (_o: unknown, _t: string, reason: string) => void calls.push(reason) };
      const client = { resource: () => ({ updateStatus: async (_ns: string, obj: Pod) => obj }) } as unknown as Client;
      const parts: ContainerParts = { env: async () => [], volumes: async () => ({ volumes: new Map(), errors: [] }), tearDown: async () => undefined };
      const unhealthy = new Map([['c1', 'Container main failed liveness probe, will be restarted']]);
      const probes: PodProbes = { unhealthy: () => unhealthy, started: () => true, ready: () => true, sync: () => undefined, forget: () => undefined };
      const reader = new RuntimeReader(cri);
      await reader.relist();
      const workers = new PodWorkers(
        { nodeName: 'n1', dataDir: dir, hostIP: '10.0.0.1', memoryCapacityBytes: 1 << 30, dns: { clusterDNS: [], clusterDomain: 'cluster.local', host: { servers: [], searches: [], options: [] } }, cgroups: { root: join(dir, 'cgroup'), v2: false }, sandboxSeccomp: { profileType: 'RuntimeDefault', localhostRef: '' } },
        { client, clock: realClock, recorder, cri, reader, images: new ImagePuller(cri, realClock, recorder, async () => undefined), parts, probes, backoff: new Backoff() },
      );
      const res = await workers.syncPod({ ...pod, spec: { ...pod.spec!, terminationGracePeriodSeconds: 1 }, status: { phase: 'Running' } });
      assert.deepEqual(calls, ['Killing', 'stopContainer']);
      assert.equal(res.requeueAfterMs, 100, 'not the periodic resync');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
