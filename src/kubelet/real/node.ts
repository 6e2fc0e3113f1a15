// The real node's registration and heartbeats: the Node named after the host, its podCIDR and CNI config, status reports, Lease.
import type { KObject } from '../../api/types';
import { eventRecorder, type EventRecorder } from '../../client/events';
import { R } from '../../client/types';
import type { ControllerDeps } from '../../controllers/types';
import { logger } from '../../util/log';
import { writeCniConfig } from '../cri/cni';
import { ensurePodMasquerade } from '../cri/masquerade';
import { NODE_LEASE_DURATION_SECONDS, NODE_LEASE_NAMESPACE, leaseRenewMs, nodeLease } from '../node-lease';
import { indexOfPodCIDR, pickNodeIndex, podCIDRForIndex } from '../sim/ipam';
import { kubeletLabels, registrationPatch } from '../sim/node-status';
import { isSimNode } from '../sim/sim-node';
import type { HostInfo } from './host';
import { realNodeConditions, realNodeStatus, realNodeStatusFields, type RuntimeInfo } from './node-status';
import type { CriRuntime } from './runtime';

const log = logger('kubelet');

/** How often the kubelet looks at its node status (upstream nodeStatusUpdateFrequency, 10 s). */
export const NODE_STATUS_UPDATE_MS = 10_000;

const codeOf = (e: unknown) => (e as { code?: number })?.code;

/** The podCIDR for a new real node: the lowest index no node holds, 0 (10.244.0.0/24) when free, as sim nodes pick theirs. */
export function pickPodCIDR(nodes: KObject[]): string {
  const used = new Set<number>();
  for (const n of nodes) {
    const i = indexOfPodCIDR(n.spec?.podCIDR);
    if (i !== undefined) used.add(i);
  }
  const idx = pickNodeIndex(used, 0);
  if (idx === undefined) throw new Error('no pod CIDR left for another node');
  return podCIDRForIndex(idx);
}

/** The CNI network of a runtime we started. */
export interface NodeCni {
  confDir: string;
  ipamDir: string;
}

/** Options of the node agent. */
export interface NodeAgentOptions {
  host: HostInfo;
  /** Where the runtime reads CNI configs and host-local keeps allocations; undefined for a runtime we did not start (its network is its own). */
  cni?: NodeCni;
  leaseDurationSeconds?: number;
}

/** Registers this host's Node, then reports its status and renews its Lease until stopped. */
export class NodeAgent {
  readonly name: string;
  private readonly recorder: EventRecorder;
  private timer?: { cancel(): void };
  private lease?: KObject;
  private leaseDueAt = 0;
  private stopped = false;
  private runtimeVersion = '';
  /** The node's podCIDR once registered. */
  podCIDR = '';

  constructor(
    private readonly deps: ControllerDeps,
    private readonly cri: CriRuntime,
    private readonly opts: NodeAgentOptions,
  ) {
    this.name = opts.host.name;
    this.recorder = eventRecorder(deps.client, 'kubelet', deps.clock, this.name);
  }

  private nodeRef(node: KObject): KObject {
    // A cluster-scoped object's events name it with namespace "" (the recorder refuses an undefined one).
    return { ...node, apiVersion: 'v1', kind: 'Node', metadata: { ...node.metadata, namespace: '' } };
  }

  /** Creates or adopts the Node, writes the CNI config for its podCIDR, posts a first status. */
  async register(): Promise<void> {
    const v = await this.cri.version({ version: 'v1' });
    this.runtimeVersion = `${v.runtimeName}://${v.runtimeVersion}`;
    const nodes = this.deps.client.resource(R.nodes);
    const informer = this.deps.informers.for(R.nodes);
    await informer.waitForSync();
    let node = await nodes.get('', this.name).catch((e) => {
      if (codeOf(e) === 404) return undefined;
      throw e;
    });
    if (node && isSimNode(node)) throw new Error(`node ${this.name} exists and is a simulated node`);
    if (!node) {
      const podCIDR = pickPodCIDR(informer.list());
      const fresh: KObject = {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: this.name, labels: kubeletLabels(this.name), annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
        spec: { podCIDR, podCIDRs: [podCIDR] },
      };
      try {
        node = await nodes.create('', fresh);
        log.info('node registered', { obj: this.name, podCIDR });
      } catch (e) {
        if (codeOf(e) !== 409) throw e;
        node = await nodes.get('', this.name);
      }
    }
    const patch = registrationPatch(node, node.spec?.podCIDR ?? pickPodCIDR(informer.list()));
    if (patch) node = await nodes.patch('', this.name, 'merge', patch);
    this.podCIDR = node.spec!.podCIDR;
    const cni = this.opts.cni;
    if (cni) writeCniConfig(cni.confDir, this.podCIDR, { ipamDataDir: cni.ipamDir, ipMasq: !(await this.nodeMasquerade()) });
    this.recorder.event(this.nodeRef(node), 'Normal', 'Starting', 'Starting kubelet.');
    await this.report();
  }

  // The node's one masquerade rule for its pod CIDR; without it (no iptables here) the bridge plugin masquerades each pod itself.
  private async nodeMasquerade(): Promise<boolean> {
    try {
      await ensurePodMasquerade(this.podCIDR);
      return true;
    } catch (e) {
      log.warn('no node-wide masquerade rule; the CNI bridge masquerades each pod instead', { obj: this.name, err: (e as Error).message });
      return false;
    }
  }

  /** Starts the status and Lease loop. */
  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      try {
        await this.report();
      } catch (e) {
        log.warn('node status update failed', { obj: this.name, err: (e as Error).message });
      }
      if (!this.stopped) this.timer = this.deps.clock.setTimeout(() => void tick(), period);
    };
    // Short leases (tests) need renewals more often than status checks.
    const period = Math.min(NODE_STATUS_UPDATE_MS, leaseRenewMs(this.opts.leaseDurationSeconds ?? NODE_LEASE_DURATION_SECONDS));
    this.timer = this.deps.clock.setTimeout(() => void tick(), period);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  // One status pass and, when due, a Lease renewal.
  private async report(): Promise<void> {
    const nodes = this.deps.client.resource(R.nodes);
    const node = await nodes.get('', this.name).catch((e) => {
      if (codeOf(e) === 404) return undefined;
      throw e;
    });
    // A deleted Node is registered again, as upstream's kubelet does.
    if (!node) {
      this.lease = undefined;
      return this.register();
    }
    const [st, images] = await Promise.all([this.cri.status({}), this.cri.listImages({})]);
    const runtime: RuntimeInfo = { version: this.runtimeVersion, conditions: st.status?.conditions ?? [] };
    const now = this.deps.clock.now();
    const conditions = realNodeConditions(runtime);
    const decision = realNodeStatus(node, realNodeStatusFields(this.opts.host, runtime, images.images), conditions, now);
    if (decision.status) {
      const wasReady = node.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
      const stored = await nodes.updateStatus('', { ...node, status: decision.status });
      const ready = decision.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (ready && !wasReady) this.recorder.event(this.nodeRef(stored), 'Normal', 'NodeReady', `Node ${this.name} status is now: NodeReady`);
      if (!ready && wasReady) this.recorder.event(this.nodeRef(stored), 'Normal', 'NodeNotReady', `Node ${this.name} status is now: NodeNotReady`);
    }
    if (now >= this.leaseDueAt) await this.renewLease(node, now);
  }

  // Renews with an update of the Lease last written, re-read after a failure (as upstream's lease controller).
  private async renewLease(node: KObject, now: number): Promise<void> {
    const duration = this.opts.leaseDurationSeconds ?? NODE_LEASE_DURATION_SECONDS;
    const leases = this.deps.client.resource(R.leases);
    const desired = nodeLease(node, now, duration);
    const base =
      this.lease ??
      (await leases.get(NODE_LEASE_NAMESPACE, this.name).catch((e) => {
        if (codeOf(e) === 404) return undefined;
        throw e;
      }));
    try {
      this.lease = base ? await leases.update(NODE_LEASE_NAMESPACE, { ...base, spec: { ...base.spec, ...desired.spec } }) : await leases.create(NODE_LEASE_NAMESPACE, desired);
    } catch (e) {
      this.lease = undefined;
      throw e;
    }
    this.leaseDueAt = now + leaseRenewMs(duration);
  }
}
