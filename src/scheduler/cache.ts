// The scheduler cache: every node with its pods and summed requests, updated incrementally from informers and by assumed pods.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { NodeInfo } from './node-info';
import { newPodInfo } from './pod-info';
import type { PodInfo } from './types';

interface PodState {
  pi: PodInfo;
  node: string;
  /** Placed by this scheduler and not yet seen bound through the informer. */
  assumed: boolean;
}

/** The zone of a node for spreading the node order (upstream nodeTree uses region and zone labels). */
export function zoneOf(node: Node): string {
  const l = (node.metadata?.labels ?? {}) as Record<string, string>;
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\u0000:${zone}` : '';
}

/** Orders nodes round-robin across zones (upstream nodeTree.list), so a sample of nodes spans zones. */
export function interleaveZones(nodes: NodeInfo[]): NodeInfo[] {
  const zones = new Map<string, NodeInfo[]>();
  for (const n of nodes) {
    const z = zoneOf(n.node!);
    let list = zones.get(z);
    if (!list) zones.set(z, (list = []));
    list.push(n);
  }
  if (zones.size <= 1) return nodes;
  const lists = [...zones.values()];
  const out: NodeInfo[] = [];
  for (let i = 0; out.length < nodes.length; i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

/** Nodes and the pods bound or assumed on them. */
export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
  private list: NodeInfo[] | undefined;
  readonly withAffinityPods = new Set<NodeInfo>();
  readonly withRequiredAntiAffinityPods = new Set<NodeInfo>();

  /** Nodes with a Node object, zone-interleaved; the same array until a node is added, removed or moves zone. */
  nodeList(): NodeInfo[] {
    if (!this.list) this.list = interleaveZones([...this.nodes.values()].filter((n) => n.node));
    return this.list;
  }

  /** The NodeInfo of a node (with or without its Node object). */
  node(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  get nodeCount(): number {
    return this.nodeList().length;
  }

  addNode(node: Node): void {
    const name = node.metadata!.name!;
    const info = this.nodes.get(name) ?? new NodeInfo(name);
    const zoneMoved = !info.node || zoneOf(info.node) !== zoneOf(node);
    info.setNode(node);
    this.nodes.set(name, info);
    if (zoneMoved) this.list = undefined;
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    // Pods may still be reported on a deleted node until they go; keep their accounting on a node-less entry.
    if (info.pods.length) info.node = undefined;
    else this.nodes.delete(name);
    this.list = undefined;
  }

  /** The pod's PodInfo if it is bound or assumed here. */
  podInfo(key: string): PodInfo | undefined {
    return this.pods.get(key)?.pi;
  }

  /** The node a pod is bound or assumed on. */
  nodeOf(key: string): string | undefined {
    return this.pods.get(key)?.node;
  }

  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed ?? false;
  }

  /** Places a pod on a node before its binding is confirmed (upstream AssumePod). */
  assumePod(pi: PodInfo, nodeName: string): void {
    if (this.pods.has(pi.key)) this.removePodByKey(pi.key);
    this.place(pi, nodeName, true);
  }

  /** Undoes assumePod after a failed binding or simulation. */
  forgetPod(key: string): void {
    if (this.pods.get(key)?.assumed) this.removePodByKey(key);
  }

  /** A bound pod seen through the informer (confirms an assumed one). */
  addPod(pod: Pod): void {
    const key = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
    const st = this.pods.get(key);
    if (st && st.node === pod.spec!.nodeName && st.pi.pod.metadata?.uid === pod.metadata?.uid) {
      st.assumed = false;
      st.pi.pod = pod;
      return;
    }
    if (st) this.removePodByKey(key);
    this.place(newPodInfo(pod), pod.spec!.nodeName!, false);
  }

  /** A newer version of a bound pod; its spec (requests, ports, affinity) cannot change, so only the object is swapped. */
  updatePod(pod: Pod): void {
    const key = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
    const st = this.pods.get(key);
    if (!st || st.node !== pod.spec?.nodeName) return this.addPod(pod);
    st.assumed = false;
    st.pi.pod = pod;
  }

  /** A bound pod deleted (or finished). */
  removePod(pod: Pod): void {
    this.removePodByKey(`${pod.metadata!.namespace}/${pod.metadata!.name}`);
  }

  private place(pi: PodInfo, nodeName: string, assumed: boolean): void {
    let info = this.nodes.get(nodeName);
    if (!info) this.nodes.set(nodeName, (info = new NodeInfo(nodeName)));
    info.addPod(pi);
    this.pods.set(pi.key, { pi, node: nodeName, assumed });
    this.trackAffinity(info);
  }

  private removePodByKey(key: string): void {
    const st = this.pods.get(key);
    if (!st) return;
    this.pods.delete(key);
    const info = this.nodes.get(st.node);
    if (!info) return;
    info.removePod(key);
    this.trackAffinity(info);
    if (!info.node && !info.pods.length) this.nodes.delete(st.node);
  }

  private trackAffinity(info: NodeInfo): void {
    if (info.podsWithAffinity.length) this.withAffinityPods.add(info);
    else this.withAffinityPods.delete(info);
    if (info.podsWithRequiredAntiAffinity.length) this.withRequiredAntiAffinityPods.add(info);
    else this.withRequiredAntiAffinityPods.delete(info);
  }
}
