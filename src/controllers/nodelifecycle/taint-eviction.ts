// Taint eviction controller: deletes pods from nodes with NoExecute taints they do not tolerate (for long enough).
import type { PodCondition, Taint } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { EventRecorder } from '../../client/events';
import type { Informer } from '../../client/informer';
import { keyOf, splitKey } from '../../client/informer';
import { R } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import { semanticEqual } from '../../machinery/validation';
import { rfc3339 } from '../../util/clock';
import { logger } from '../../util/log';
import type { Controller, ControllerDeps } from '../types';
import { evictionDecision } from './eviction';
import { NODE_NAME_INDEX, noExecuteTaints } from './taints';

const log = logger('taint-eviction-controller');
const RETRIES = 5;
const codeOf = (e: unknown) => (e as { code?: number })?.code;

// An eviction waiting for its pod's toleration to run out (upstream TimedWorker).
interface Scheduled {
  createdAt: number;
  fireAt: number;
  timer: { cancel(): void };
}

/** Evicts pods from NoExecute-tainted nodes after their tolerationSeconds; events as TaintManagerEviction. */
export class TaintEvictionController implements Controller {
  private readonly nodes: Informer<KObject>;
  private readonly pods: Informer<KObject>;
  private readonly recorder: EventRecorder;
  private readonly queue: WorkQueue;
  private readonly taintedNodes = new Map<string, Taint[]>();
  private readonly scheduled = new Map<string, Scheduled>();
  private stopped = false;

  constructor(private readonly deps: ControllerDeps) {
    this.nodes = deps.informers.for(R.nodes);
    this.pods = deps.informers.for(R.pods);
    this.recorder = deps.recorder('taint-eviction-controller');
    this.queue = new WorkQueue(deps.clock);
    this.pods.addIndex(NODE_NAME_INDEX, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    this.nodes.on({
      add: (n) => this.nodeUpdated(undefined, n),
      update: (o, n) => this.nodeUpdated(o, n),
      delete: (n) => this.queue.add(`node:${n.metadata.name}`),
    });
    this.pods.on({
      add: (p) => this.podUpdated(undefined, p),
      update: (o, p) => this.podUpdated(o, p),
      delete: (p) => this.queue.add(`pod:${keyOf(p)}`),
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.nodes.waitForSync(), this.pods.waitForSync()]);
    if (this.stopped) return;
    void runWorkers(this.queue, 4, (key) => this.sync(key), (key, err) => log.warn('sync failed; retrying', { obj: key, err: (err as Error).message }));
  }

  stop(): void {
    this.stopped = true;
    this.queue.shutdown();
    for (const s of this.scheduled.values()) s.timer.cancel();
    this.scheduled.clear();
  }

  private nodeUpdated(old: KObject | undefined, node: KObject): void {
    if (old && semanticEqual(noExecuteTaints(old), noExecuteTaints(node))) return;
    this.queue.add(`node:${node.metadata.name}`);
  }

  private podUpdated(old: KObject | undefined, pod: KObject): void {
    if (old && old.spec?.nodeName === pod.spec?.nodeName && semanticEqual(old.spec?.tolerations, pod.spec?.tolerations)) return;
    this.queue.add(`pod:${keyOf(pod)}`);
  }

  private async sync(key: string): Promise<void> {
    const now = this.deps.clock.now();
    if (key.startsWith('node:')) {
      const name = key.slice(5);
      const node = this.nodes.get(name);
      const taints = noExecuteTaints(node);
      if (!node || !taints.length) this.taintedNodes.delete(name);
      else this.taintedNodes.set(name, taints);
      for (const pod of this.pods.byIndex(NODE_NAME_INDEX, name)) this.processPodOnNode(pod, taints, now);
      return;
    }
    const podKey = key.slice(4);
    const pod = this.pods.get(podKey);
    if (!pod) return this.cancel(podKey);
    const taints = this.taintedNodes.get(pod.spec?.nodeName ?? '');
    if (taints) this.processPodOnNode(pod, taints, now);
  }

  private processPodOnNode(pod: KObject, taints: Taint[], now: number): void {
    const key = keyOf(pod);
    // A pod already being deleted is on its way out; evicting it again would only repeat the event.
    if (pod.metadata.deletionTimestamp) return;
    const prev = this.scheduled.get(key);
    const d = evictionDecision(taints, pod.spec?.tolerations, now, prev?.createdAt);
    if (d.action === 'cancel') return this.cancel(key);
    if (prev && prev.fireAt === d.fireAt) return;
    prev?.timer.cancel();
    const timer = this.deps.clock.setTimeout(() => void this.evict(key), Math.max(0, d.fireAt - now));
    this.scheduled.set(key, { createdAt: d.createdAt, fireAt: d.fireAt, timer });
    if (d.fireAt > now) log.info('pod eviction scheduled', { obj: key, inMs: d.fireAt - now });
  }

  private cancel(key: string): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    s.timer.cancel();
    this.scheduled.delete(key);
    const pod = this.pods.get(key);
    if (pod) this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  // Marks the pod with DisruptionTarget, then deletes it (upstream addConditionAndDeletePod), retrying a few times.
  private async evict(key: string): Promise<void> {
    this.scheduled.delete(key);
    if (this.stopped) return;
    const { namespace, name } = splitKey(key);
    const pod = this.pods.get(key);
    if (!pod) return;
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    log.info('evicting pod', { obj: key });
    const pods = this.deps.client.resource(R.pods);
    for (let attempt = 0; ; attempt++) {
      try {
        const current = await pods.get(namespace, name);
        const conds = (current.status?.conditions ?? []) as PodCondition[];
        const target = conds.find((c) => c.type === 'DisruptionTarget');
        if (target?.status !== 'True') {
          const cond = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(this.deps.clock.now()) };
          await pods.patch(namespace, name, 'strategic', { metadata: { uid: current.metadata.uid }, status: { conditions: [cond] } }, { subresource: 'status' });
        }
        await pods.delete(namespace, name);
        return;
      } catch (e) {
        if (codeOf(e) === 404) return;
        if (attempt >= RETRIES - 1) {
          log.warn('cannot evict pod', { obj: key, err: (e as Error).message });
          return;
        }
        await new Promise<void>((resolve) => this.deps.clock.setTimeout(resolve, 10));
      }
    }
  }
}
