// For controller tests: an in-process API server with the deps a control plane hands out, polling, stand-in kubelets and a manual clock.
import type { KObject } from '../api/types';
import { startTestApi, TestApi } from '../apiserver/testing';
import { eventRecorder } from '../client/events';
import { Informer, keyOf } from '../client/informer';
import { SharedInformers } from '../client/shared-informers';
import type { Client } from '../client/types';
import { R } from '../client/types';
import type { Clock } from '../util/clock';
import { realClock, rfc3339 } from '../util/clock';
import type { Pod } from './shared/types';
import type { ControllerDeps } from './types';

/** A test API server plus the dependencies a controller is started with. */
export interface Testbed {
  api: TestApi;
  client: Client;
  deps: ControllerDeps;
  close(): Promise<void>;
}

/** Starts an in-process API server and the ControllerDeps a control plane would hand out. */
export async function startTestbed(clock: Clock = realClock): Promise<Testbed> {
  const api = await startTestApi(clock);
  const informers = new SharedInformers(api.client, clock);
  const deps: ControllerDeps = { client: api.client, informers, clock, recorder: (c) => eventRecorder(api.client, c, clock) };
  return {
    api,
    client: api.client,
    deps,
    async close() {
      informers.stop();
      await api.close();
    },
  };
}

/** Polls `cond` every 10 ms until it holds; fails with `what` after `timeoutMs`. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The status a kubelet gives a running, ready pod (the Ready condition stamped `now`). */
export function readyStatus(pod: Pod, now: number): Pod['status'] {
  const t = rfc3339(now);
  return {
    ...pod.status,
    phase: 'Running',
    conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: t })),
    containerStatuses: (pod.spec.containers ?? []).map((c) => ({ name: c.name, image: c.image ?? '', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: t } } })),
  };
}

/** A stand-in kubelet: marks every new pod Running and Ready while `ready(pod)` says so; stop() ends it. */
export function simulateReadyPods(client: Client, clock: Clock = realClock, ready: (pod: Pod) => boolean = () => true): { stop(): void } {
  const pods = client.resource<Pod>(R.pods);
  const inf = new Informer<Pod>(pods, {}, clock);
  const done = new Set<string>();
  const touch = (p: Pod) => {
    const key = `${keyOf(p)}/${p.metadata.uid}`;
    if (done.has(key) || p.metadata.deletionTimestamp || !ready(p)) return;
    done.add(key);
    pods.updateStatus(p.metadata.namespace!, { ...p, status: readyStatus(p, clock.now()) }).catch(() => done.delete(key));
  };
  inf.on({ add: touch, update: (_, p) => touch(p) });
  void inf.start();
  return { stop: () => inf.stop() };
}

/** A testbed with a hand-driven kubelet for workload controllers (the test API's fields spread in). */
export interface Harness extends TestApi {
  deps: ControllerDeps;
  /** Polls `cond` until it holds, failing after `ms`. */
  until(cond: () => boolean | Promise<boolean>, ms?: number, what?: string): Promise<void>;
  /** Pods of a namespace, sorted by name. */
  pods(namespace: string, labelSelector?: string): Promise<Pod[]>;
  /** Plays the kubelet: the pod becomes Running and Ready (bound to `node` when given). */
  runPod(namespace: string, name: string, node?: string): Promise<void>;
  /** Plays the kubelet: the pod ends in `phase` (Succeeded or Failed) with that exit code. */
  finishPod(namespace: string, name: string, phase: 'Succeeded' | 'Failed'): Promise<void>;
  /** Events of a namespace as "reason: message". */
  events(namespace: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts a testbed and the kubelet-playing helpers of a Harness. */
export async function startHarness(clock: Clock = realClock): Promise<Harness> {
  const tb = await startTestbed(clock);
  const podClient = tb.client.resource<Pod>(R.pods);
  const setStatus = async (namespace: string, name: string, f: (p: Pod) => Pod['status']) => {
    for (;;) {
      const p = await podClient.get(namespace, name);
      try {
        await podClient.updateStatus(namespace, { ...p, status: f(p) });
        return;
      } catch (e) {
        if ((e as { code?: number }).code !== 409) throw e;
      }
    }
  };
  return {
    ...tb.api,
    deps: tb.deps,
    until: (cond, ms = 5000, what = 'condition') => until(what, cond, ms),
    async pods(namespace, labelSelector) {
      const { items } = await podClient.list(namespace, { labelSelector });
      return items.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    },
    async runPod(namespace, name, node) {
      if (node) await podClient.createSubresource(namespace, name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } } as KObject);
      const now = rfc3339(clock.now());
      await setStatus(namespace, name, (p) => ({
        ...p.status,
        phase: 'Running',
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
          { type: 'Ready', status: 'True', lastTransitionTime: now },
        ],
      }));
    },
    async finishPod(namespace, name, phase) {
      const now = rfc3339(clock.now());
      await setStatus(namespace, name, (p) => ({
        ...p.status,
        phase,
        conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now, reason: phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed' }],
        containerStatuses: (p.spec.containers ?? []).map((c) => ({
          name: c.name,
          image: c.image ?? '',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: phase === 'Succeeded' ? 0 : 1, finishedAt: now, reason: phase === 'Succeeded' ? 'Completed' : 'Error' } },
        })),
      }));
    },
    async events(namespace) {
      const { items } = await tb.client.resource(R.events).list(namespace);
      return items.map((e) => `${e.reason}: ${e.message}`);
    },
    stop: () => tb.close(),
  };
}

