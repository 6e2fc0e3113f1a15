// For controller tests: an in-process API server with shared informers, a stand-in kubelet that makes pods ready, and polling.
import { startTestApi, TestApi } from '../../apiserver/testing';
import { eventRecorder } from '../../client/events';
import { Informer, keyOf } from '../../client/informer';
import { SharedInformers } from '../../client/shared-informers';
import type { Client } from '../../client/types';
import { R } from '../../client/types';
import type { Clock } from '../../util/clock';
import { realClock, rfc3339 } from '../../util/clock';
import type { ControllerDeps } from '../types';
import type { Pod } from './types';

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
