// Node lifecycle controller: watches Nodes and Leases; unhealthy nodes turn Unknown, get tainted, and their pods not ready.
import type { NodeCondition, PodCondition } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { EventRecorder } from '../../client/events';
import type { Informer } from '../../client/informer';
import { keyOf } from '../../client/informer';
import { R } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import { rfc3339 } from '../../util/clock';
import { logger } from '../../util/log';
import type { Controller, ControllerDeps } from '../types';
import { updateNodeHealth, type HealthConfig, type NodeHealth } from './health';
import { updateNodeTaints } from './node-taints';
import { TokenBucket } from './rate-limiter';
import {
  NODE_NAME_INDEX,
  NOT_READY_NO_EXECUTE,
  UNREACHABLE_NO_EXECUTE,
  computeZoneState,
  hasTaint,
  noExecuteSwap,
  noScheduleTaintChanges,
  swapTaints,
  zoneKey,
  type ZoneState,
} from './taints';

const log = logger('node-lifecycle-controller');

const EXCLUDE_DISRUPTION_LABEL = 'node.kubernetes.io/exclude-disruption';

/** Settings of the controller, upstream's kube-controller-manager flags. */
export interface NodeLifecycleOptions extends HealthConfig {
  /** How often node health is checked (node-monitor-period, 5 s). */
  monitorPeriodMs: number;
  /** Nodes tainted NoExecute per second per zone (node-eviction-rate, 0.1). */
  evictionLimiterQPS: number;
  /** The same in a partially disrupted large zone (secondary-node-eviction-rate, 0.01). */
  secondaryEvictionLimiterQPS: number;
  /** Zones up to this size stop tainting when partially disrupted (large-cluster-size-threshold, 50). */
  largeClusterThreshold: number;
  /** Share of not-ready nodes that makes a zone partially disrupted (unhealthy-zone-threshold, 0.55). */
  unhealthyZoneThreshold: number;
}

/** Upstream defaults. */
export const DEFAULT_NODE_LIFECYCLE_OPTIONS: NodeLifecycleOptions = {
  monitorGraceMs: 40_000,
  startupGraceMs: 60_000,
  monitorPeriodMs: 5_000,
  evictionLimiterQPS: 0.1,
  secondaryEvictionLimiterQPS: 0.01,
  largeClusterThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};

// Nodes of one zone waiting for their NoExecute taint, behind the zone's rate limiter (upstream RateLimitedTimedQueue).
interface ZoneTainter {
  bucket: TokenBucket;
  pending: string[];
  /** Queued or already tainted: a node is tainted once until it is reachable again. */
  marked: Set<string>;
}

const codeOf = (e: unknown) => (e as { code?: number })?.code;
// A cluster-scoped object's events name it with namespace "" (the recorder refuses an undefined one).
const nodeRef = (n: KObject): KObject => ({ ...n, metadata: { ...n.metadata, namespace: '' } });

/** Monitors node health, keeps condition taints, marks pods of failed nodes not ready. */
export class NodeLifecycleController implements Controller {
  private readonly nodes: Informer<KObject>;
  private readonly leases: Informer<KObject>;
  private readonly pods: Informer<KObject>;
  private readonly recorder: EventRecorder;
  private readonly health = new Map<string, NodeHealth>();
  private readonly known = new Map<string, KObject>();
  private readonly zoneStates = new Map<string, ZoneState | 'Initial'>();
  private readonly tainters = new Map<string, ZoneTainter>();
  private readonly retryPods = new Set<string>();
  private readonly nodeQueue: WorkQueue;
  private readonly podQueue: WorkQueue;
  private monitorTimer?: { cancel(): void };
  private taintTimer?: { cancel(): void; at: number };
  private stopped = false;

  constructor(
    private readonly deps: ControllerDeps,
    private readonly opts: NodeLifecycleOptions = DEFAULT_NODE_LIFECYCLE_OPTIONS,
  ) {
    this.nodes = deps.informers.for(R.nodes);
    this.leases = deps.informers.for(R.leases);
    this.pods = deps.informers.for(R.pods);
    this.recorder = deps.recorder('node-controller');
    this.nodeQueue = new WorkQueue(deps.clock);
    this.podQueue = new WorkQueue(deps.clock);
    this.pods.addIndex(NODE_NAME_INDEX, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    this.nodes.on({ add: (n) => this.nodeQueue.add(n.metadata.name!), update: (_, n) => this.nodeQueue.add(n.metadata.name!) });
    this.pods.on({
      add: (p) => this.podUpdated(undefined, p),
      update: (o, p) => this.podUpdated(o, p),
    });
  }

  /** Waits for the caches, then runs the workers and the periodic health check. */
  async start(): Promise<void> {
    await Promise.all([this.nodes.waitForSync(), this.leases.waitForSync(), this.pods.waitForSync()]);
    if (this.stopped) return;
    const onError = (key: string, err: unknown) => log.warn('sync failed; retrying', { obj: key, err: (err as Error).message });
    void runWorkers(this.nodeQueue, 4, (name) => this.doNoScheduleTaintingPass(name), onError);
    void runWorkers(this.podQueue, 4, (key) => this.processPod(key), onError);
    this.scheduleMonitor(0);
  }

  stop(): void {
    this.stopped = true;
    this.nodeQueue.shutdown();
    this.podQueue.shutdown();
    this.monitorTimer?.cancel();
    this.taintTimer?.cancel();
  }

  private scheduleMonitor(ms: number): void {
    if (this.stopped) return;
    this.monitorTimer = this.deps.clock.setTimeout(() => {
      this.monitorNodeHealth()
        .catch((e) => log.error('node health check failed', { err: (e as Error).message }))
        .finally(() => this.scheduleMonitor(this.opts.monitorPeriodMs));
    }, ms);
  }

  private podUpdated(old: KObject | undefined, pod: KObject): void {
    const node = pod.spec?.nodeName;
    if (node && (!old || old.spec?.nodeName !== node)) this.podQueue.add(keyOf(pod));
  }

  // A pod newly bound to a node that is not Ready is marked not ready at once (upstream processPod).
  private async processPod(key: string): Promise<void> {
    const pod = this.pods.get(key);
    const node = pod?.spec?.nodeName;
    if (!pod || !node || !this.nodes.get(node)) return;
    const ready = this.health.get(node)?.ready;
    if (ready && ready.status !== 'True') await this.markPodsNotReady([pod]);
  }

  // Keeps the NoSchedule taints in line with the node's conditions and spec.unschedulable.
  private async doNoScheduleTaintingPass(name: string): Promise<void> {
    const node = this.nodes.get(name);
    if (!node) return;
    const { add, remove } = noScheduleTaintChanges(node);
    if (!add.length && !remove.length) return;
    const now = this.deps.clock.now();
    await updateNodeTaints(this.deps.client, this.nodes, name, (taints) => {
      const fresh = noScheduleTaintChanges({ ...node, spec: { ...node.spec, taints } });
      return swapTaints(taints, fresh.add, fresh.remove, now);
    });
  }

  /** One pass over all nodes (upstream monitorNodeHealth). */
  async monitorNodeHealth(): Promise<void> {
    const now = this.deps.clock.now();
    const nodes = this.nodes.list();
    const names = new Set(nodes.map((n) => n.metadata.name!));
    for (const n of nodes) {
      if (this.known.has(n.metadata.name!)) continue;
      this.recorder.event(nodeRef(n), 'Normal', 'RegisteredNode', `Node ${n.metadata.name} event: Registered Node ${n.metadata.name} in Controller`);
      this.known.set(n.metadata.name!, n);
      await this.markNodeAsReachable(n.metadata.name!);
    }
    for (const [name, n] of this.known) {
      if (names.has(name)) continue;
      this.recorder.event(nodeRef(n), 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
      this.known.delete(name);
      this.health.delete(name);
      this.retryPods.delete(name);
      for (const t of this.tainters.values()) this.unmark(t, name);
    }
    const zones = new Map<string, (string | undefined)[]>();
    const check = async (node: KObject) => {
      const name = node.metadata.name!;
      const res = updateNodeHealth(node, this.health.get(name), this.leases.get(`kube-node-lease/${name}`), now, this.opts);
      if (res.conditions) {
        try {
          await this.deps.client.resource(R.nodes).updateStatus('', { ...node, status: { ...node.status, conditions: res.conditions } });
          log.info('node stopped posting status', { obj: name, ready: res.currentReady?.status });
        } catch (e) {
          // Retried on the next pass with fresh data; the node keeps its old health record meanwhile.
          if (codeOf(e) !== 404) log.debug('cannot update node health', { obj: name, err: (e as Error).message });
          return;
        }
      }
      this.health.set(name, res.health);
      if (!node.metadata.labels?.[EXCLUDE_DISRUPTION_LABEL]) {
        const z = zoneKey(node);
        if (!zones.has(z)) zones.set(z, []);
        zones.get(z)!.push(res.currentReady?.status);
      }
      if (!res.currentReady) return;
      await this.processTaintBasedEviction(node, res.observedReady);
      const becameNotReady = res.currentReady.status !== 'True' && res.observedReady.status === 'True';
      if (becameNotReady) this.recorder.event(nodeRef(node), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      if (becameNotReady || (this.retryPods.has(name) && res.observedReady.status !== 'True')) {
        const ok = await this.markPodsNotReady(this.pods.byIndex(NODE_NAME_INDEX, name));
        if (!ok) return void this.retryPods.add(name);
      }
      this.retryPods.delete(name);
    };
    for (let i = 0; i < nodes.length; i += 8) await Promise.all(nodes.slice(i, i + 8).map(check));
    await this.handleDisruption(zones, nodes, now);
  }

  // NoExecute taints follow Ready: swapped at once between not-ready and unreachable, added through the zone limiter.
  private async processTaintBasedEviction(node: KObject, observedReady: NodeCondition): Promise<void> {
    const name = node.metadata.name!;
    const swap = noExecuteSwap(observedReady.status);
    if (!swap) {
      await this.markNodeAsReachable(name);
      return;
    }
    if (hasTaint(node.spec?.taints, swap.remove)) {
      const now = this.deps.clock.now();
      await updateNodeTaints(this.deps.client, this.nodes, name, (taints) => swapTaints(taints, [swap.add], [swap.remove], now));
      return;
    }
    const t = this.tainter(zoneKey(node));
    if (t.marked.has(name)) return;
    t.marked.add(name);
    t.pending.push(name);
    this.scheduleTainting(this.deps.clock.now());
  }

  private tainter(zone: string): ZoneTainter {
    let t = this.tainters.get(zone);
    if (!t) {
      t = { bucket: new TokenBucket(this.opts.evictionLimiterQPS, 1, this.deps.clock.now()), pending: [], marked: new Set() };
      this.tainters.set(zone, t);
    }
    return t;
  }

  private unmark(t: ZoneTainter, name: string): void {
    t.marked.delete(name);
    const i = t.pending.indexOf(name);
    if (i >= 0) t.pending.splice(i, 1);
  }

  // Removes both NoExecute taints and forgets any pending tainting (upstream markNodeAsReachable).
  private async markNodeAsReachable(name: string): Promise<void> {
    for (const t of this.tainters.values()) this.unmark(t, name);
    const node = this.nodes.get(name);
    if (!node || (!hasTaint(node.spec?.taints, UNREACHABLE_NO_EXECUTE) && !hasTaint(node.spec?.taints, NOT_READY_NO_EXECUTE))) return;
    const now = this.deps.clock.now();
    await updateNodeTaints(this.deps.client, this.nodes, name, (taints) => swapTaints(taints, [], [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE], now));
  }

  private scheduleTainting(at: number): void {
    if (this.stopped || at === Infinity || (this.taintTimer && this.taintTimer.at <= at)) return;
    this.taintTimer?.cancel();
    const now = this.deps.clock.now();
    const timer = this.deps.clock.setTimeout(() => {
      this.taintTimer = undefined;
      void this.doNoExecuteTaintingPass();
    }, Math.max(0, at - now));
    this.taintTimer = { cancel: () => timer.cancel(), at };
  }

  // Taints queued nodes as each zone's limiter allows (upstream doNoExecuteTaintingPass).
  private async doNoExecuteTaintingPass(): Promise<void> {
    let next = Infinity;
    for (const t of this.tainters.values()) {
      while (t.pending.length && t.bucket.tryAccept(this.deps.clock.now())) {
        const name = t.pending.shift()!;
        const node = this.nodes.get(name);
        const ready = (node?.status?.conditions as NodeCondition[] | undefined)?.find((c) => c.type === 'Ready');
        const swap = ready && noExecuteSwap(ready.status);
        if (!node || !swap) continue;
        const now = this.deps.clock.now();
        try {
          if (await updateNodeTaints(this.deps.client, this.nodes, name, (taints) => swapTaints(taints, [swap.add], [swap.remove], now))) {
            log.info('node tainted', { obj: name, taint: `${swap.add.key}:${swap.add.effect}` });
          }
        } catch (e) {
          log.warn('cannot taint node; retrying', { obj: name, err: (e as Error).message });
          t.pending.push(name);
        }
      }
      if (t.pending.length) next = Math.min(next, t.bucket.nextAt(this.deps.clock.now()));
    }
    this.scheduleTainting(next);
  }

  // Sets Ready=False on the pods of a failed node, with an event each (upstream MarkPodsNotReady); false if any failed.
  private async markPodsNotReady(pods: KObject[]): Promise<boolean> {
    const now = this.deps.clock.now();
    let ok = true;
    await Promise.all(
      pods.map(async (pod) => {
        const conds = (pod.status?.conditions ?? []) as PodCondition[];
        const ready = conds.find((c) => c.type === 'Ready');
        if (!ready || ready.status === 'False') return;
        const conditions = conds.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: rfc3339(now) } : c));
        try {
          await this.deps.client.resource(R.pods).updateStatus(pod.metadata.namespace!, { ...pod, status: { ...pod.status, conditions } });
          this.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
        } catch (e) {
          if (codeOf(e) === 404) return;
          ok = false;
          log.debug('cannot mark pod not ready', { obj: keyOf(pod), err: (e as Error).message });
        }
      }),
    );
    return ok;
  }

  // Zone states decide the tainting rate; when every zone is down, nothing is tainted (upstream handleDisruption).
  private async handleDisruption(zones: Map<string, (string | undefined)[]>, nodes: KObject[], now: number): Promise<void> {
    const newStates = new Map<string, ZoneState>();
    for (const [z, statuses] of zones) {
      newStates.set(z, computeZoneState(statuses, this.opts.unhealthyZoneThreshold));
      if (!this.zoneStates.has(z)) this.zoneStates.set(z, 'Initial');
    }
    for (const z of [...this.zoneStates.keys()]) if (!zones.has(z)) this.zoneStates.delete(z);
    const allAre = newStates.size > 0 && [...newStates.values()].every((s) => s === 'FullDisruption');
    const allWere = this.zoneStates.size > 0 && [...this.zoneStates.values()].every((s) => s === 'FullDisruption');
    if (allAre && allWere) return;
    if (allAre) {
      log.info('all nodes are not ready: entering master disruption mode; no node is tainted for eviction');
      for (const n of nodes) await this.markNodeAsReachable(n.metadata.name!);
      for (const z of this.zoneStates.keys()) {
        this.tainter(z).bucket.setQPS(0, now);
        this.zoneStates.set(z, 'FullDisruption');
      }
      return;
    }
    if (allWere) {
      log.info('some nodes are ready: exiting master disruption mode');
      for (const n of nodes) {
        const h = this.health.get(n.metadata.name!);
        if (h) this.health.set(n.metadata.name!, { ...h, probeTimestamp: now, readyTransitionTimestamp: now });
      }
    }
    for (const [z, state] of newStates) {
      if (!allWere && this.zoneStates.get(z) === state) continue;
      const size = zones.get(z)!.length;
      const qps = state === 'PartialDisruption' ? (size > this.opts.largeClusterThreshold ? this.opts.secondaryEvictionLimiterQPS : 0) : this.opts.evictionLimiterQPS;
      this.tainter(z).bucket.setQPS(qps, now);
      if (this.zoneStates.get(z) !== 'Initial' || state !== 'Normal') log.info('zone state changed', { zone: z, state });
      this.zoneStates.set(z, state);
    }
    const waiting = [...this.tainters.values()].filter((t) => t.pending.length);
    if (waiting.length) this.scheduleTainting(Math.min(...waiting.map((t) => t.bucket.nextAt(now))));
  }
}
