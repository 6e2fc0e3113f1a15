// The scheduling queue (upstream PriorityQueue): activeQ by priority then time, backoffQ with 1 s → 10 s backoff, unschedulable pods moved back by cluster events.
import type { Pod } from 'kubernetes-types/core/v1';
import type { Clock } from '../util/clock';
import { podGroupKey } from './gang';
import { Heap } from './heap';
import { newPodInfo } from './pod-info';
import { UnschedulablePods } from './unschedulable-pods';
import type { PodInfo } from './types';

/** A pod waiting to be scheduled, with its attempt history. */
export interface QueuedPodInfo {
  key: string;
  pod: Pod;
  /** Derived data, computed at the first attempt of this pod version. */
  podInfo?: PodInfo;
  /** When the pod was last added or moved (orders equal priorities; backoff counts from here). */
  timestamp: number;
  /** Scheduling attempts so far (counted at pop, as upstream). */
  attempts: number;
  /** Plugins that rejected the pod in its last attempt; empty means any event may help. */
  unschedulablePlugins: Set<string>;
  /** "namespace/group" for gang members. */
  group?: string;
  /** When the pod entered the unschedulable set. */
  unschedulableSince?: number;
}

/** Which unschedulable pods a cluster event may help: those rejected by one of `plugins`, or members of `groups`. */
export interface MoveEvent {
  /** undefined: every plugin (e.g. a node was added). */
  plugins?: string[];
  /** Gang groups ("namespace/group") whose members should retry. */
  groups?: string[];
}

/** upstream defaults: 1 s initial backoff doubling to 10 s; unschedulable pods retried after 5 min regardless. */
export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;
export const MAX_UNSCHEDULABLE_MS = 5 * 60_000;
const FLUSH_BACKOFF_EVERY_MS = 1000;
const FLUSH_UNSCHEDULABLE_EVERY_MS = 30_000;

/** upstream calculateBackoffDuration: initial × 2^(attempts−1), capped. */
export function backoffDuration(attempts: number): number {
  let d = INITIAL_BACKOFF_MS;
  for (let i = 1; i < attempts; i++) {
    d *= 2;
    if (d > MAX_BACKOFF_MS) return MAX_BACKOFF_MS;
  }
  return d;
}

const backoffExpiry = (q: QueuedPodInfo) => q.timestamp + backoffDuration(q.attempts);
const priorityOf = (q: QueuedPodInfo) => q.pod.spec?.priority ?? 0;

/** upstream PrioritySort: higher priority first, then earlier queue time. */
export function lessActive(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = priorityOf(a);
  const pb = priorityOf(b);
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

/** Whether an update of a pending pod may change its scheduling (not just status or resourceVersion). */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod) => JSON.stringify([p.spec, p.metadata?.labels, p.metadata?.annotations, p.metadata?.deletionTimestamp, p.metadata?.ownerReferences]);
  return strip(oldPod) !== strip(newPod);
}

const NONE: PodInfo[] = [];
const gated = (pod: Pod) => (pod.spec?.schedulingGates?.length ?? 0) > 0;

/** The pending pods of the scheduler. */
export class SchedulingQueue {
  private readonly activeQ = new Heap<QueuedPodInfo>((q) => q.key, lessActive);
  private readonly backoffQ = new Heap<QueuedPodInfo>((q) => q.key, (a, b) => backoffExpiry(a) < backoffExpiry(b));
  private readonly unschedulable = new UnschedulablePods();
  /** Pods with scheduling gates: kept out of the queues until the gates are removed (upstream SchedulingGates PreEnqueue). */
  private readonly gatedPods = new Map<string, QueuedPodInfo>();
  private pendingMove: { all: boolean; plugins: Set<string>; groups: Set<string> } | undefined;
  private readonly nominated = new Map<string, Map<string, PodInfo>>();
  private readonly nominatedNode = new Map<string, string>();
  private timers: { cancel(): void }[] = [];
  private closed = false;

  /** `onReady` is called when pods may be available to pop (new, moved, or a move is pending). */
  constructor(
    private readonly clock: Clock,
    private readonly onReady: () => void = () => {},
  ) {}

  /** Starts the periodic flushes of completed backoffs and of long-unschedulable pods. */
  run(): void {
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (this.closed) return;
        fn();
        this.timers.push(this.clock.setTimeout(tick, ms));
      };
      this.timers.push(this.clock.setTimeout(tick, ms));
    };
    every(FLUSH_BACKOFF_EVERY_MS, () => this.flushBackoffCompleted());
    every(FLUSH_UNSCHEDULABLE_EVERY_MS, () => this.flushUnschedulableLeftover());
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.timers = [];
  }

  /** Pods in each sub-queue, for tests and logs. */
  get sizes(): { active: number; backoff: number; unschedulable: number; gated: number } {
    return { active: this.activeQ.length, backoff: this.backoffQ.length, unschedulable: this.unschedulable.size, gated: this.gatedPods.size };
  }

  /** True when the pod is in any sub-queue. */
  has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key) || this.gatedPods.has(key);
  }

  /** The queued entry of a pod, wherever it waits. */
  get(key: string): QueuedPodInfo | undefined {
    return this.activeQ.get(key) ?? this.backoffQ.get(key) ?? this.unschedulable.get(key) ?? this.gatedPods.get(key);
  }

  /** A new pending pod. */
  add(key: string, pod: Pod): void {
    if (this.has(key)) return this.update(key, pod);
    const q: QueuedPodInfo = { key, pod, timestamp: this.clock.now(), attempts: 0, unschedulablePlugins: new Set(), group: podGroupKey(pod) };
    this.trackNomination(q);
    if (gated(pod)) this.gatedPods.set(key, q);
    else this.toActive(q);
  }

  /** A newer version of a pending pod: kept in place, or moved to retry when something relevant changed. */
  update(key: string, pod: Pod): void {
    const q = this.get(key);
    if (!q) return this.add(key, pod);
    const changed = isPodUpdated(q.pod, pod);
    // Taken out of the unschedulable set before its indexed fields (group) change.
    const wasUnschedulable = changed && this.unschedulable.delete(key) !== undefined;
    q.pod = pod;
    if (changed) {
      q.podInfo = undefined;
      q.group = podGroupKey(pod);
    } else if (q.podInfo) q.podInfo.pod = pod;
    this.trackNomination(q);
    if (this.gatedPods.has(key)) {
      if (!gated(pod)) {
        this.gatedPods.delete(key);
        this.toActive(q);
      }
    } else if (this.activeQ.has(key)) this.activeQ.push(q);
    else if (this.backoffQ.has(key)) {
      this.backoffQ.delete(key);
      if (changed && !this.backingOff(q)) this.toActive(q);
      else this.backoffQ.push(q);
    } else if (wasUnschedulable) this.requeue(q);
  }

  /** Drops a pod (deleted, bound elsewhere, or no longer ours). */
  delete(key: string): void {
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.gatedPods.delete(key);
    this.deleteNominated(key);
  }

  /** The next pod to schedule, after applying pending moves; counts the attempt. */
  pop(): QueuedPodInfo | undefined {
    this.flushMoves();
    const q = this.activeQ.pop();
    if (q) q.attempts++;
    return q;
  }

  /** After a failed attempt: waits in the unschedulable set until a cluster event may help. */
  addUnschedulable(q: QueuedPodInfo, plugins: Set<string>): void {
    this.takeOut(q.key);
    q.timestamp = this.clock.now();
    q.unschedulablePlugins = plugins;
    q.unschedulableSince = q.timestamp;
    this.unschedulable.set(q);
  }

  /** After an error (not a fit failure): retried once its backoff expires. */
  addBackoff(q: QueuedPodInfo): void {
    this.takeOut(q.key);
    q.timestamp = this.clock.now();
    q.unschedulablePlugins = new Set();
    this.backoffQ.push(q);
  }

  // Removes a pod from the sub-queues (not from nominations) before its ordering fields change.
  private takeOut(key: string): void {
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  /** Records a cluster event; the matching unschedulable pods move at the next pop. */
  moveAllToActiveOrBackoffQueue(ev: MoveEvent): void {
    if (!this.unschedulable.anyHelped(ev)) return;
    const p = (this.pendingMove ??= { all: false, plugins: new Set(), groups: new Set() });
    if (!ev.plugins && !ev.groups) p.all = true;
    for (const x of ev.plugins ?? []) p.plugins.add(x);
    for (const g of ev.groups ?? []) p.groups.add(g);
    this.onReady();
  }

  /** Moves pods whose backoff has expired to activeQ. */
  flushBackoffCompleted(): void {
    const now = this.clock.now();
    let moved = false;
    for (let q = this.backoffQ.peek(); q && backoffExpiry(q) <= now; q = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.activeQ.push(q);
      moved = true;
    }
    if (moved) this.onReady();
  }

  /** Retries pods that stayed unschedulable longer than 5 minutes. */
  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    for (const q of this.unschedulable.values()) {
      if (now - (q.unschedulableSince ?? q.timestamp) > MAX_UNSCHEDULABLE_MS) {
        this.unschedulable.delete(q.key);
        this.requeue(q);
      }
    }
  }

  /** Records that preemption nominated `node` for a pod, so lower-priority pods leave room there. */
  addNominated(pi: PodInfo, node: string): void {
    this.deleteNominated(pi.key);
    let m = this.nominated.get(node);
    if (!m) this.nominated.set(node, (m = new Map()));
    m.set(pi.key, pi);
    this.nominatedNode.set(pi.key, node);
  }

  deleteNominated(key: string): void {
    const node = this.nominatedNode.get(key);
    if (node === undefined) return;
    this.nominatedNode.delete(key);
    const m = this.nominated.get(node);
    m?.delete(key);
    if (m && !m.size) this.nominated.delete(node);
  }

  /** Pods nominated to `node` with priority at least `priority`, other than `exceptKey`. */
  nominatedPodsFor(node: string, priority: number, exceptKey: string): PodInfo[] {
    const m = this.nominated.size ? this.nominated.get(node) : undefined;
    if (!m) return NONE;
    const out: PodInfo[] = [];
    for (const pi of m.values()) if (pi.key !== exceptKey && pi.priority >= priority) out.push(pi);
    return out;
  }

  /** True when some pod is nominated to some node. */
  get hasNominatedPods(): boolean {
    return this.nominated.size > 0;
  }

  /** Every pod nominated to `node`. */
  nominatedOn(node: string): PodInfo[] {
    return [...(this.nominated.get(node)?.values() ?? [])];
  }

  private trackNomination(q: QueuedPodInfo): void {
    const node = q.pod.status?.nominatedNodeName;
    if (!node) return this.deleteNominated(q.key);
    if (this.nominated.get(node)?.get(q.key) !== q.podInfo || !q.podInfo) this.addNominated(requirePodInfo(q), node);
  }

  private flushMoves(): void {
    const p = this.pendingMove;
    if (!p) return;
    this.pendingMove = undefined;
    for (const q of this.unschedulable.helped(p.all, p.plugins, p.groups)) {
      this.unschedulable.delete(q.key);
      this.requeue(q);
    }
  }

  private backingOff(q: QueuedPodInfo): boolean {
    return backoffExpiry(q) > this.clock.now();
  }

  private requeue(q: QueuedPodInfo): void {
    if (this.backingOff(q)) this.backoffQ.push(q);
    else this.toActive(q);
  }

  private toActive(q: QueuedPodInfo): void {
    this.activeQ.push(q);
    this.onReady();
  }
}

/** The queued pod's PodInfo, built on first use for its current spec. */
export function requirePodInfo(q: QueuedPodInfo): PodInfo {
  return (q.podInfo ??= newPodInfo(q.pod));
}
