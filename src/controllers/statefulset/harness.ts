// Test harness for workload controllers: an in-process API server, controller deps over it, polling, and a stand-in kubelet.
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { startTestApi, type TestApi } from '../../apiserver/testing';
import { eventRecorder } from '../../client/events';
import { SharedInformers } from '../../client/shared-informers';
import { R } from '../../client/types';
import type { Clock } from '../../util/clock';
import { realClock, rfc3339 } from '../../util/clock';
import type { Pod } from '../shared/types';
import type { ControllerDeps } from '../types';

/** A test API server with controller deps wired to it. */
export interface Harness extends TestApi {
  deps: ControllerDeps;
  /** Polls `cond` every 5 ms until it holds, failing after `ms`. */
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

/** Starts a test API server and the deps controllers get in `tugboat up`. */
export async function startHarness(clock: Clock = realClock): Promise<Harness> {
  const api = await startTestApi(clock);
  const informers = new SharedInformers(api.client, clock);
  const deps: ControllerDeps = { client: api.client, informers, clock, recorder: (c) => eventRecorder(api.client, c, clock) };
  const podClient = api.client.resource<Pod>(R.pods);
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
    ...api,
    deps,
    async until(cond, ms = 5000, what = 'condition') {
      const end = Date.now() + ms;
      while (!(await cond())) {
        if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
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
      const { items } = await api.client.resource(R.events).list(namespace);
      return items.map((e) => `${e.reason}: ${e.message}`);
    },
    async stop() {
      informers.stop();
      await api.close();
    },
  };
}

/** A clock that moves only when told: timers fire, in order, as advance() passes them. */
export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; seq: number }[] = [];
  private seq = 0;

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.t + Math.max(ms, 0), fn, seq: this.seq++ };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((x) => x !== timer)) };
  }

  /** Moves time forward by `ms`, firing every timer that falls due. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }
}
