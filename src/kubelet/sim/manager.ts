// The sim kubelets of one process: one shared pod informer (indexed by node), a node queue and a pod queue, one clock, many nodes.
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import { eventRecorder, type EventRecorder } from '../../client/events';
import type { Informer } from '../../client/informer';
import { keyOf, splitKey } from '../../client/informer';
import { R } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import type { Controller, ControllerDeps } from '../../controllers/types';
import { logger } from '../../util/log';
import { NODE_LEASE_DURATION_SECONDS, NODE_LEASE_NAMESPACE, leaseRenewMs, nodeLease } from '../node-lease';
import { PodIPAllocator, indexOfPodCIDR, internalIPForIndex, pickNodeIndex, podCIDRForIndex } from './ipam';
import { registrationPatch, simNodeStatus } from './node-status';
import { DEFAULT_SIM_TIMING, nextSimPodState, type SimPodTiming } from './pod-lifecycle';
import { heartbeatsStopped, isSimNode, simNodeObject } from './sim-node';

const log = logger('sim-kubelet');

/** Concurrent node syncs (Lease renewals and status reports of all sim nodes). */
const NODE_WORKERS = 16;

/** Index of the pod informer: the node a pod is bound to (upstream's nodeNameKeyIndex). */
export const NODE_NAME_INDEX = 'spec.nodeName';

/** Options of the sim kubelet manager. */
export interface SimKubeletOptions {
  /** Sim nodes to make sure exist at start (sim-node-1 … sim-node-N). */
  initialNodes: number;
  /** Step durations of simulated pods. */
  timing?: SimPodTiming;
  /** Record the kubelet's pod events (Pulled, Created, Started, Killing, BackOff); default true. */
  podEvents?: boolean;
  /** Concurrent pod syncs; default 32. */
  workers?: number;
  /** leaseDurationSeconds of node Leases, renewed every quarter of it; default 40 as upstream. */
  leaseDurationSeconds?: number;
}

// The running kubelet of one sim node.
interface SimNode {
  name: string;
  podCIDR: string;
  internalIP: string;
  ips: PodIPAllocator;
  stopped: boolean;
  leaseDueAt: number;
  /** The Node version last checked for registration and status, and when its next status report is due. */
  checkedVersion?: string;
  reportDueAt: number;
  /** The Lease as last written, for the next renewal's update. */
  lease?: KObject;
  renewed: boolean;
  recorder: EventRecorder;
}

const codeOf = (e: unknown) => (e as { code?: number })?.code;
const isTerminal = (pod: KObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const rvNumber = (rv: string | undefined) => (rv === undefined ? NaN : Number(rv));

/** Runs a simulated kubelet for every sim node, creating sim-node-1…N at start. */
export class SimKubelets implements Controller {
  private readonly nodes: Informer<KObject>;
  private readonly pods: Informer<KObject>;
  private readonly leases;
  /**
   * Node keys (registration, status, Lease renewals) have their own queue and workers, as each upstream kubelet renews
   * its Lease apart from its pod work: queued behind a burst of pod syncs, heartbeats would miss the node monitor's
   * grace period and the node lifecycle controller would mark healthy nodes unreachable.
   */
  private readonly nodeQueue: WorkQueue;
  private readonly podQueue: WorkQueue;
  private readonly running = new Map<string, SimNode>();
  /** Node index → node name, for every node whose podCIDR is one of ours (sim or not), plus reservations; and back. */
  private readonly indexes = new Map<number, string>();
  private readonly indexOfNode = new Map<string, number>();
  /** Pod key → resourceVersion of our last write: the cache is stale until it catches up. */
  private readonly written = new Map<string, number>();
  private readonly timing: SimPodTiming;
  private stopped = false;

  constructor(
    private readonly deps: ControllerDeps,
    private readonly opts: SimKubeletOptions,
  ) {
    this.timing = opts.timing ?? DEFAULT_SIM_TIMING;
    this.nodeQueue = new WorkQueue(deps.clock);
    this.podQueue = new WorkQueue(deps.clock);
    this.nodes = deps.informers.for(R.nodes);
    this.pods = deps.informers.for(R.pods);
    this.leases = deps.client.resource(R.leases);
    this.pods.addIndex(NODE_NAME_INDEX, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    this.nodes.on({
      add: (n) => this.onNode(n),
      update: (_, n) => this.onNode(n),
      delete: (n) => {
        this.forgetIndex(n);
        this.enqueue(`node:${n.metadata.name}`);
      },
    });
    this.pods.on({
      add: (p) => this.onPod(p),
      update: (_, p) => this.onPod(p),
      delete: (p) => {
        const key = keyOf(p);
        this.written.delete(key);
        this.running.get(p.spec?.nodeName ?? '')?.ips.release(p.metadata.uid!);
      },
    });
  }

  /** Waits for the caches, creates the initial nodes, then processes keys until stop(). */
  async start(): Promise<void> {
    await Promise.all([this.nodes.waitForSync(), this.pods.waitForSync()]);
    if (this.stopped) return;
    const onError = (key: string, err: unknown) => {
      if (codeOf(err) !== 409) log.warn('sync failed; retrying', { obj: key, err: (err as Error).message });
    };
    void runWorkers(this.nodeQueue, NODE_WORKERS, (key) => this.syncNode(key.slice(5)), onError);
    void runWorkers(this.podQueue, this.opts.workers ?? 32, (key) => this.syncPod(key.slice(4)), onError);
    for (const n of this.nodes.list()) this.onNode(n);
    await this.ensureInitialNodes();
  }

  stop(): void {
    this.stopped = true;
    this.nodeQueue.shutdown();
    this.podQueue.shutdown();
  }

  private enqueue(key: string): void {
    if (!this.stopped) (key.startsWith('node:') ? this.nodeQueue : this.podQueue).add(key);
  }

  private onNode(n: KObject): void {
    const idx = indexOfPodCIDR(n.spec?.podCIDR);
    if (idx !== undefined) this.holdIndex(idx, n.metadata.name!);
    if (isSimNode(n) || this.running.has(n.metadata.name!)) this.enqueue(`node:${n.metadata.name}`);
  }

  private holdIndex(idx: number, name: string): void {
    const prev = this.indexOfNode.get(name);
    if (prev !== undefined && prev !== idx && this.indexes.get(prev) === name) this.indexes.delete(prev);
    this.indexes.set(idx, name);
    this.indexOfNode.set(name, idx);
  }

  private forgetIndex(n: KObject): void {
    const idx = this.indexOfNode.get(n.metadata.name!);
    if (idx === undefined) return;
    this.indexOfNode.delete(n.metadata.name!);
    if (this.indexes.get(idx) === n.metadata.name) this.indexes.delete(idx);
  }

  private onPod(p: KObject): void {
    const sim = this.running.get(p.spec?.nodeName ?? '');
    if (sim && !sim.stopped) this.enqueue(`pod:${keyOf(p)}`);
  }

  // Creates sim-node-1…N where missing, a bounded number at a time.
  private async ensureInitialNodes(): Promise<void> {
    const names: string[] = [];
    for (let i = 1; i <= this.opts.initialNodes; i++) if (!this.nodes.get(`sim-node-${i}`)) names.push(`sim-node-${i}`);
    const create = async (name: string) => {
      const node = simNodeObject(name);
      const index = this.reserveIndex(name, Number(name.slice('sim-node-'.length)));
      const reg = registrationPatch(node, podCIDRForIndex(index)) as { metadata: KObject['metadata']; spec: KObject['spec'] };
      node.metadata.labels = { ...node.metadata.labels, ...reg.metadata.labels };
      node.metadata.annotations = { ...node.metadata.annotations, ...reg.metadata.annotations };
      node.spec = { ...node.spec, ...reg.spec };
      // Registered with its status, as a kubelet registers, so the node is Ready from its first version.
      node.status = simNodeStatus(node, internalIPForIndex(index), this.deps.clock.now()).status;
      try {
        await this.deps.client.resource(R.nodes).create('', node);
      } catch (e) {
        if (codeOf(e) !== 409) log.warn('cannot create sim node', { obj: name, err: (e as Error).message });
      }
    };
    for (let i = 0; i < names.length && !this.stopped; i += 64) await Promise.all(names.slice(i, i + 64).map(create));
  }

  private reserveIndex(name: string, preferred?: number): number {
    const idx = pickNodeIndex(this.indexes, preferred);
    if (idx === undefined) throw new Error('no pod CIDR left for another node');
    this.holdIndex(idx, name);
    return idx;
  }

  // Starts, stops or runs one node's kubelet: registration, status reports, Lease renewals.
  private async syncNode(name: string): Promise<void> {
    const node = this.nodes.get(name);
    let sim = this.running.get(name);
    if (!node || !isSimNode(node)) {
      if (sim) {
        this.running.delete(name);
        log.info('sim kubelet stopped', { obj: name });
      }
      return;
    }
    sim ??= this.startKubelet(node);
    const now = this.deps.clock.now();
    if (heartbeatsStopped(node)) {
      if (!sim.stopped) log.info('heartbeats stopped', { obj: name });
      sim.stopped = true;
      return;
    }
    if (sim.stopped) {
      log.info('heartbeats resumed', { obj: name });
      sim.stopped = false;
      sim.leaseDueAt = 0;
      for (const p of this.pods.byIndex(NODE_NAME_INDEX, name)) this.enqueue(`pod:${keyOf(p)}`);
    }
    // Registration and status only need a look when the Node changed or a report is due; a lease renewal alone does not.
    if (node.metadata.resourceVersion !== sim.checkedVersion || now >= sim.reportDueAt) {
      const patch = registrationPatch(node, sim.podCIDR);
      if (patch) {
        // The next pass (triggered by this write) reports the status.
        await this.deps.client.resource(R.nodes).patch('', name, 'merge', patch);
        return;
      }
      const report = simNodeStatus(node, sim.internalIP, now);
      if (report.status) {
        const wasReady = node.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
        await this.deps.client.resource(R.nodes).updateStatus('', { ...node, status: report.status });
        // A cluster-scoped object's events name it with namespace "" (the recorder refuses an undefined one).
        if (!wasReady) sim.recorder.event({ ...node, metadata: { ...node.metadata, namespace: '' } }, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`);
      }
      sim.checkedVersion = node.metadata.resourceVersion;
      sim.reportDueAt = report.nextReportAt;
    }
    if (now >= sim.leaseDueAt) await this.renewLease(node, sim, now);
    this.nodeQueue.addAfter(`node:${name}`, Math.max(1, Math.min(sim.reportDueAt, sim.leaseDueAt) - now));
  }

  private startKubelet(node: KObject): SimNode {
    const name = node.metadata.name!;
    let podCIDR = node.spec?.podCIDR as string | undefined;
    let index = indexOfPodCIDR(podCIDR);
    if (index === undefined) {
      const m = /^sim-node-(\d+)$/.exec(name);
      index = this.indexOfNode.get(name) ?? this.reserveIndex(name, m ? Number(m[1]) : undefined);
    }
    podCIDR ??= podCIDRForIndex(index);
    const internalIP = node.status?.addresses?.find((a: { type: string }) => a.type === 'InternalIP')?.address ?? internalIPForIndex(index);
    const ips = new PodIPAllocator(podCIDR);
    for (const p of this.pods.byIndex(NODE_NAME_INDEX, name)) {
      if (p.status?.podIP && !isTerminal(p) && !p.spec?.hostNetwork) ips.hold(p.metadata.uid!, p.status.podIP);
    }
    const sim: SimNode = {
      name,
      podCIDR,
      internalIP,
      ips,
      stopped: false,
      leaseDueAt: 0,
      reportDueAt: 0,
      renewed: false,
      recorder: eventRecorder(this.deps.client, 'kubelet', this.deps.clock, name),
    };
    this.running.set(name, sim);
    log.info('sim kubelet started', { obj: name, podCIDR, internalIP });
    for (const p of this.pods.byIndex(NODE_NAME_INDEX, name)) this.enqueue(`pod:${keyOf(p)}`);
    return sim;
  }

  // Renews with an update of the Lease last written (as upstream's lease controller does), re-read after a failure.
  private async renewLease(node: KObject, sim: SimNode, now: number): Promise<void> {
    const duration = this.opts.leaseDurationSeconds ?? NODE_LEASE_DURATION_SECONDS;
    const desired = nodeLease(node, now, duration);
    const base =
      sim.lease ??
      (await this.leases.get(NODE_LEASE_NAMESPACE, sim.name).catch((e) => {
        if (codeOf(e) === 404) return undefined;
        throw e;
      }));
    try {
      sim.lease = base ? await this.leases.update(NODE_LEASE_NAMESPACE, { ...base, spec: { ...base.spec, ...desired.spec } }) : await this.leases.create(NODE_LEASE_NAMESPACE, desired);
    } catch (e) {
      sim.lease = undefined;
      throw e;
    }
    // The first renewal lands at a random point of the period, so thousands of nodes do not renew in step.
    const period = leaseRenewMs(duration);
    sim.leaseDueAt = now + (sim.renewed ? period : Math.max(1, Math.random() * period));
    sim.renewed = true;
  }

  // One step of one pod: status update, delete, or nothing, then a timer for its next due moment.
  private async syncPod(key: string): Promise<void> {
    const pod = this.pods.get(key) as (KObject & Pod) | undefined;
    if (!pod) return;
    const sim = this.running.get(pod.spec?.nodeName ?? '');
    if (!sim || sim.stopped) return;
    const written = this.written.get(key);
    // Our own last write has not come back through the watch yet: its event will bring the pod back here.
    if (written !== undefined && rvNumber(pod.metadata.resourceVersion) < written) return;
    const uid = pod.metadata.uid!;
    let podIP: string | undefined;
    if (isTerminal(pod) || pod.spec?.hostNetwork) sim.ips.release(uid);
    else if (pod.status?.podIP && sim.ips.hold(uid, pod.status.podIP)) podIP = pod.status.podIP;
    else podIP = sim.ips.allocate(uid);
    const decision = nextSimPodState({ pod, hostIP: sim.internalIP, podIP, now: this.deps.clock.now(), timing: this.timing });
    const { namespace, name } = splitKey(key);
    const pods = this.deps.client.resource(R.pods);
    if (decision.action === 'delete') {
      try {
        await pods.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
        // A pod held by finalizers stays; its next version (a finalizer removed) comes back here to be deleted again.
        this.written.set(key, rvNumber(pod.metadata.resourceVersion) + 1);
        sim.ips.release(uid);
      } catch (e) {
        if (codeOf(e) !== 404 && codeOf(e) !== 409) throw e;
      }
      return;
    }
    if (decision.action === 'updateStatus') {
      let stored: KObject;
      try {
        stored = await pods.updateStatus(namespace, { ...pod, status: decision.status });
      } catch (e) {
        if (codeOf(e) === 404) return;
        throw e;
      }
      this.written.set(key, rvNumber(stored.metadata.resourceVersion));
      if (isTerminal(stored)) sim.ips.release(uid);
      if (this.opts.podEvents !== false) for (const ev of decision.events) sim.recorder.event(stored, ev.type, ev.reason, ev.message);
    }
    if (decision.requeueAfterMs !== undefined) this.podQueue.addAfter(`pod:${key}`, decision.requeueAfterMs);
  }
}
