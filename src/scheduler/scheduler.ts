// The scheduling loop: pops pods, runs one synchronous cycle each (or a gang simulation), assumes the result and binds asynchronously.
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { KObject } from '../api/types';
import type { EventRecorder } from '../client/events';
import type { Selector } from '../machinery/labels';
import type { Clock } from '../util/clock';
import { rfc3339 } from '../util/clock';
import { logger } from '../util/log';
import { SchedulerCache } from './cache';
import { fitErrorMessage } from './fit-error';
import { Framework } from './framework';
import { gangNotPlacedMessage, minMemberOf, notEnoughSiblingsMessage, podGroupKey, simulateGang } from './gang';
import { preempt } from './preemption';
import { QueuedPodInfo, requirePodInfo, SchedulingQueue } from './queue';
import { ERR_NO_NODES_AVAILABLE, ScheduleOutcome, schedulePod } from './schedule-pod';
import type { PluginContext, PodInfo } from './types';

const log = logger('scheduler');

/** The scheduler's name; it schedules only pods that ask for it. */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
/** upstream validation.NoteLengthLimit: longer messages are cut. */
const NOTE_LENGTH_LIMIT = 1024;
/** How long one loop turn may run before yielding to I/O (informer events, binding replies). */
const TURN_BUDGET_MS = 20;

// Which plugins' rejections a cluster event may undo (a simplified form of upstream's queueing hints).
const ASSIGNED_POD_ADDED = ['InterPodAffinity', 'PodTopologySpread'];
const ASSIGNED_POD_DELETED = ['NodeResourcesFit', 'NodePorts', 'InterPodAffinity', 'PodTopologySpread'];

/** The side effects of scheduling, through the API. */
export interface SchedulerPort {
  /** POSTs pods/{name}/binding. */
  bind(pod: Pod, node: string): Promise<void>;
  /** Patches the pod's status: the PodScheduled condition and, when given, nominatedNodeName ("" clears it). */
  patchStatus(pod: Pod, condition: PodCondition | undefined, nominatedNodeName: string | undefined): Promise<void>;
  /** Marks a preemption victim with DisruptionTarget and deletes it gracefully. */
  evict(victim: Pod, preemptor: Pod): Promise<void>;
}

/** Read access to the informer caches the scheduler needs beyond nodes and pods it tracks itself. */
export interface SchedulerListers {
  pod(key: string): Pod | undefined;
  /** Pods labelled with a gang group ("namespace/group"). */
  groupMembers(group: string): Pod[];
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  defaultSpreadSelector(pod: Pod): Selector | undefined;
  pdbs(): PodDisruptionBudget[];
}

export interface SchedulerOptions {
  port: SchedulerPort;
  listers: SchedulerListers;
  recorder: EventRecorder;
  clock: Clock;
  /** 0: upstream's adaptive percentage. */
  percentageOfNodesToScore?: number;
  /** Bindings in flight before the loop waits for one to finish. */
  maxInFlightBindings?: number;
  random?: () => number;
}

/** True for pods this scheduler should place: ours, unbound, not terminating, not finished. */
export function needsScheduling(pod: Pod): boolean {
  return (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) === DEFAULT_SCHEDULER_NAME && !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && !terminal(pod);
}

const terminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const keyOfPod = (pod: Pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`;

/** Cuts a message to the Event note limit as upstream does. */
export function truncateMessage(msg: string): string {
  return msg.length <= NOTE_LENGTH_LIMIT ? msg : msg.slice(0, NOTE_LENGTH_LIMIT - 4) + ' ...';
}

/** upstream UpdatePodCondition's test: would setting `cond` change the pod's conditions? */
export function conditionChanged(pod: Pod, cond: PodCondition): boolean {
  const old = pod.status?.conditions?.find((c) => c.type === cond.type);
  return !old || old.status !== cond.status || (old.reason ?? '') !== (cond.reason ?? '') || (old.message ?? '') !== (cond.message ?? '');
}

/** The default scheduler over a cache kept by informer events. */
export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly fw = new Framework();
  private readonly ctx: PluginContext;
  private nextStartNodeIndex = 0;
  private inFlight = 0;
  private turnScheduled = false;
  private running = false;
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {
    this.queue = new SchedulingQueue(o.clock, () => this.kick());
    this.ctx = {
      nodes: () => this.cache.nodeList(),
      nodesWithRequiredAntiAffinityPods: () => this.cache.withRequiredAntiAffinityPods,
      nodesWithAffinityPods: () => this.cache.withAffinityPods,
      namespaceLabels: (ns) => o.listers.namespaceLabels(ns),
      defaultSpreadSelector: (pod) => o.listers.defaultSpreadSelector(pod),
    };
  }

  /** Starts scheduling (call once the informers have synced). */
  start(): void {
    this.running = true;
    this.queue.run();
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.queue.close();
  }

  // ---- informer events: they only update the cache and the queue ----

  onPodAdd(pod: Pod): void {
    const key = keyOfPod(pod);
    if (pod.spec?.nodeName) {
      if (terminal(pod)) return;
      this.queue.delete(key);
      this.cache.addPod(pod);
      this.queue.moveAllToActiveOrBackoffQueue({ plugins: ASSIGNED_POD_ADDED });
    } else if (needsScheduling(pod)) {
      this.queue.add(key, pod);
      const group = podGroupKey(pod);
      if (group) this.queue.moveAllToActiveOrBackoffQueue({ groups: [group] });
    }
  }

  onPodUpdate(oldPod: Pod, pod: Pod): void {
    const key = keyOfPod(pod);
    if (pod.spec?.nodeName) {
      if (terminal(pod)) return this.assignedPodGone(pod);
      if (!oldPod.spec?.nodeName) return this.onPodAdd(pod);
      this.cache.updatePod(pod);
      if (JSON.stringify(oldPod.metadata?.labels) !== JSON.stringify(pod.metadata?.labels)) this.queue.moveAllToActiveOrBackoffQueue({ plugins: ASSIGNED_POD_ADDED });
    } else if (needsScheduling(pod)) {
      // A pod whose binding is in flight keeps its assumed place; status updates of it do not requeue it.
      if (!this.cache.isAssumed(key)) this.queue.update(key, pod);
    } else this.queue.delete(key);
  }

  onPodDelete(pod: Pod): void {
    const key = keyOfPod(pod);
    this.queue.delete(key);
    if (pod.spec?.nodeName || this.cache.nodeOf(key)) this.assignedPodGone(pod);
  }

  onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.queue.moveAllToActiveOrBackoffQueue({});
  }

  onNodeUpdate(oldNode: Node, node: Node): void {
    this.cache.addNode(node);
    const plugins: string[] = [];
    const differ = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
    if (differ(oldNode.status?.allocatable, node.status?.allocatable)) plugins.push('NodeResourcesFit');
    if (differ(oldNode.metadata?.labels, node.metadata?.labels)) plugins.push('NodeAffinity', 'PodTopologySpread', 'InterPodAffinity');
    if (differ(oldNode.spec?.taints, node.spec?.taints)) plugins.push('TaintToleration', 'PodTopologySpread');
    if (!!oldNode.spec?.unschedulable !== !!node.spec?.unschedulable) plugins.push('NodeUnschedulable');
    if (plugins.length) this.queue.moveAllToActiveOrBackoffQueue({ plugins });
  }

  onNodeDelete(node: Node): void {
    this.cache.removeNode(node.metadata!.name!);
  }

  /** Namespace labels matter to affinity terms with a namespaceSelector. */
  onNamespaceLabelsChanged(): void {
    this.queue.moveAllToActiveOrBackoffQueue({ plugins: ['InterPodAffinity'] });
  }

  private assignedPodGone(pod: Pod): void {
    this.cache.removePod(pod);
    this.queue.deleteNominated(keyOfPod(pod));
    this.queue.moveAllToActiveOrBackoffQueue({ plugins: ASSIGNED_POD_DELETED });
  }

  // ---- the loop ----

  private kick(): void {
    if (this.turnScheduled || !this.running || this.stopped) return;
    this.turnScheduled = true;
    setImmediate(() => this.turn());
  }

  // One turn schedules pods until the queue is empty, too many bindings are in flight, or the time budget is spent.
  private turn(): void {
    this.turnScheduled = false;
    if (this.stopped) return;
    const deadline = performance.now() + TURN_BUDGET_MS;
    const maxInFlight = this.o.maxInFlightBindings ?? 256;
    while (this.inFlight < maxInFlight) {
      const q = this.queue.pop();
      if (!q) return;
      try {
        this.scheduleOne(q);
      } catch (e) {
        log.error('scheduling cycle failed', { obj: q.key, err: (e as Error).stack });
        this.queue.addBackoff(q);
      }
      if (performance.now() > deadline) break;
    }
    this.kick();
  }

  /** One scheduling cycle for a popped pod (upstream ScheduleOne's scheduling part). */
  private scheduleOne(q: QueuedPodInfo): void {
    const live = this.o.listers.pod(q.key);
    if (!live || !needsScheduling(live) || this.cache.nodeOf(q.key)) return;
    q.pod = live;
    const pi = requirePodInfo(q);
    if (pi.pod !== live) pi.pod = live;
    if (q.group && minMemberOf(live) > 1) return this.scheduleGang(q, pi);
    const outcome = this.attempt(pi);
    if (outcome.kind === 'scheduled') return this.assumeAndBind(q, pi, outcome.node.name);
    if (outcome.kind === 'noNodes') return this.fail(q, 'Unschedulable', ERR_NO_NODES_AVAILABLE, new Set(), undefined);
    this.afterFitFailure(q, pi, outcome);
  }

  private attempt(pi: PodInfo): ScheduleOutcome {
    const out = schedulePod(pi, {
      ctx: this.ctx,
      fw: this.fw,
      nominatedPodsFor: (node, p) => this.queue.nominatedPodsFor(node, p.priority, p.key),
      hasNominatedPods: this.queue.hasNominatedPods,
      startIndex: this.nextStartNodeIndex,
      percentageOfNodesToScore: this.o.percentageOfNodesToScore,
    });
    if (out.kind !== 'noNodes') this.nextStartNodeIndex = (this.nextStartNodeIndex + out.processed) % Math.max(1, this.cache.nodeCount);
    return out;
  }

  // PostFilter: preemption, then the failure is recorded with preemption's message and nomination.
  private afterFitFailure(q: QueuedPodInfo, pi: PodInfo, outcome: Extract<ScheduleOutcome, { kind: 'unschedulable' }>): void {
    const result = preempt(
      {
        ctx: this.ctx,
        fw: this.fw,
        pod: pi,
        state: outcome.state,
        diagnosis: outcome.diagnosis,
        pdbs: this.o.listers.pdbs(),
        nominatedPodsFor: (node, p) => this.queue.nominatedPodsFor(node, p.priority, p.key),
        now: this.o.clock.now(),
        random: this.o.random,
      },
      (name) => this.cache.node(name),
    );
    const msg = fitErrorMessage(outcome.numAllNodes, outcome.diagnosis, 'message' in result ? result.message : '');
    if ('message' in result) return this.fail(q, 'Unschedulable', msg, outcome.diagnosis.unschedulablePlugins, result.clearNomination ? '' : undefined);
    const node = result.node.name;
    for (const v of result.victims) {
      this.o.recorder.event(v.pod as KObject, 'Normal', 'Preempted', `Preempted by pod ${pi.pod.metadata?.uid} on node ${node}`);
      this.o.port.evict(v.pod, pi.pod).catch((e) => log.warn('evicting preemption victim failed', { obj: v.key, err: (e as Error).message }));
    }
    // Lower-priority pods nominated to the same node lose their nomination: the room is for this pod now.
    for (const other of this.queue.nominatedOn(node)) {
      if (other.priority >= pi.priority || other.key === pi.key) continue;
      this.queue.deleteNominated(other.key);
      this.o.port.patchStatus(other.pod, undefined, '').catch(() => {});
    }
    this.fail(q, 'Unschedulable', msg, outcome.diagnosis.unschedulablePlugins, node);
  }

  // Gang members are placed together in a simulation on the cache; a group that does not fit holds nothing.
  private scheduleGang(q: QueuedPodInfo, pi: PodInfo): void {
    const group = q.group!;
    const min = minMemberOf(pi.pod);
    let bound = 0;
    const pending: QueuedPodInfo[] = [];
    for (const m of this.o.listers.groupMembers(group)) {
      const key = keyOfPod(m);
      if (m.metadata?.deletionTimestamp || terminal(m)) continue;
      if (m.spec?.nodeName || this.cache.nodeOf(key)) bound++;
      else if (needsScheduling(m) && !m.spec?.schedulingGates?.length) {
        const mq = key === q.key ? q : this.queue.get(key);
        if (mq) pending.push(mq);
      }
    }
    if (bound >= min) {
      const outcome = this.attempt(pi);
      if (outcome.kind === 'scheduled') return this.assumeAndBind(q, pi, outcome.node.name);
      if (outcome.kind === 'noNodes') return this.fail(q, 'Unschedulable', ERR_NO_NODES_AVAILABLE, new Set(), undefined);
      return this.fail(q, 'Unschedulable', fitErrorMessage(outcome.numAllNodes, outcome.diagnosis), outcome.diagnosis.unschedulablePlugins, undefined);
    }
    const nodes = this.cache.nodeCount;
    if (bound + pending.length < min) {
      const pre = notEnoughSiblingsMessage(pi.pod.metadata?.name ?? '', bound + pending.length, min);
      const msg = `0/${nodes} nodes are available: ${pre}.`;
      for (const m of pending) this.fail(m, 'Unschedulable', msg, new Set(['Coscheduling']), undefined);
      return;
    }
    pending.sort((a, b) => (lessMember(a, b) ? -1 : lessMember(b, a) ? 1 : 0));
    const needed = min - bound;
    const plan = simulateGang<QueuedPodInfo, ScheduleOutcome>(
      pending,
      needed,
      (m) => {
        const mpi = requirePodInfo(m);
        const out = this.attempt(mpi);
        if (out.kind !== 'scheduled') return { failure: out };
        this.cache.assumePod(mpi, out.node.name);
        return { node: out.node.name };
      },
      (m) => this.cache.forgetPod(m.key),
    );
    if (plan.ok) {
      for (const p of plan.placed) {
        if (p.member !== q) this.queue.delete(p.member.key);
        this.bind(p.member, requirePodInfo(p.member), p.node);
      }
      for (const f of plan.failed) this.failOutcome(f.member, f.failure);
      return;
    }
    const first = plan.failed[0]?.failure;
    const plugins = new Set(['Coscheduling', ...(first && first.kind === 'unschedulable' ? first.diagnosis.unschedulablePlugins : [])]);
    const why = first?.kind === 'unschedulable' ? fitErrorMessage(first.numAllNodes, first.diagnosis) : ERR_NO_NODES_AVAILABLE;
    const msg = `${why} ${gangNotPlacedMessage(group.slice(group.indexOf('/') + 1), plan.placed.length, needed)}.`;
    for (const m of pending) this.fail(m, 'Unschedulable', msg, plugins, undefined);
  }

  private failOutcome(q: QueuedPodInfo, out: ScheduleOutcome): void {
    if (out.kind === 'noNodes') this.fail(q, 'Unschedulable', ERR_NO_NODES_AVAILABLE, new Set(), undefined);
    else if (out.kind === 'unschedulable') this.fail(q, 'Unschedulable', fitErrorMessage(out.numAllNodes, out.diagnosis), out.diagnosis.unschedulablePlugins, undefined);
  }

  // Assume: the cache counts the pod on the node at once, so the next cycle sees it; the binding follows asynchronously.
  private assumeAndBind(q: QueuedPodInfo, pi: PodInfo, node: string): void {
    this.cache.assumePod(pi, node);
    this.bind(q, pi, node);
  }

  private bind(q: QueuedPodInfo, pi: PodInfo, node: string): void {
    this.queue.deleteNominated(pi.key);
    const pod = pi.pod;
    this.inFlight++;
    this.o.port
      .bind(pod, node)
      .then(
        () => this.o.recorder.event(pod as KObject, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata?.namespace}/${pod.metadata?.name} to ${node}`),
        (err: Error) => {
          log.info('binding failed', { obj: pi.key, node, err: err.message });
          this.cache.forgetPod(pi.key);
          this.queue.moveAllToActiveOrBackoffQueue({ plugins: ASSIGNED_POD_DELETED });
          const live = this.o.listers.pod(pi.key);
          if (live && needsScheduling(live)) {
            q.pod = live;
            this.fail(q, 'SchedulerError', `running Bind plugin "DefaultBinder": ${err.message}`, new Set(), undefined);
          }
        },
      )
      .finally(() => {
        this.inFlight--;
        this.kick();
      });
  }

  /** upstream handleSchedulingFailure: requeue, FailedScheduling event, PodScheduled=False, nomination. */
  private fail(q: QueuedPodInfo, reason: 'Unschedulable' | 'SchedulerError', message: string, plugins: Set<string>, nominated: string | undefined): void {
    const live = this.o.listers.pod(q.key);
    if (!live || !needsScheduling(live) || live.metadata?.uid !== q.pod.metadata?.uid) {
      this.queue.delete(q.key);
      return;
    }
    if (reason === 'SchedulerError') this.queue.addBackoff(q);
    else this.queue.addUnschedulable(q, plugins);
    if (nominated) this.queue.addNominated(requirePodInfo(q), nominated);
    else if (nominated === '') this.queue.deleteNominated(q.key);
    const msg = truncateMessage(message);
    log.debug('unable to schedule pod', { obj: q.key, msg });
    this.o.recorder.event(live as KObject, 'Warning', 'FailedScheduling', msg);
    const cond: PodCondition = { type: 'PodScheduled', status: 'False', reason, message: msg, lastProbeTime: null as unknown as string, lastTransitionTime: rfc3339(this.o.clock.now()) };
    const nnnChanged = nominated !== undefined && (live.status?.nominatedNodeName ?? '') !== nominated;
    if (!conditionChanged(live, cond) && !nnnChanged) return;
    const old = live.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (old?.status === 'False' && old.lastTransitionTime) cond.lastTransitionTime = old.lastTransitionTime;
    this.o.port.patchStatus(live, cond, nnnChanged ? nominated : undefined).catch((e) => log.debug('status update failed', { obj: q.key, err: (e as Error).message }));
  }
}

// Gang members are tried by priority, then age, then name, so retries are deterministic.
function lessMember(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.pod.spec?.priority ?? 0;
  const pb = b.pod.spec?.priority ?? 0;
  if (pa !== pb) return pa > pb;
  const ta = a.pod.metadata?.creationTimestamp ?? '';
  const tb = b.pod.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb;
  return (a.pod.metadata?.name ?? '') < (b.pod.metadata?.name ?? '');
}
