// NodeInfo: one node with the pods on it and their summed requests, kept up to date incrementally (upstream's NodeInfo).
import type { Node, Taint } from 'kubernetes-types/core/v1';
import { nodeAllocatable } from './resources';
import type { HostPort, PodInfo, Resource } from './types';

/**
 * A node and what runs on it, as the scheduler sees it (bound and assumed pods). The amounts filters and scores read
 * for every node are plain number fields of this one object: at thousands of nodes per pod, each extra object a
 * plugin touches per node is a cache miss.
 */
export class NodeInfo {
  node: Node | undefined;
  /** The node's labels, taints and cordon flag, copied out of the Node. */
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  hasTaints = false;
  unschedulable = false;
  /** Neither cordoned nor tainted: the filters that only look at those pass without being run. */
  plain = true;
  /** Allocatable cpu (millicores), memory, ephemeral storage (bytes) and pods. */
  allocCPU = 0;
  allocMemory = 0;
  allocEphemeralStorage = 0;
  allowedPodNumber = 0;
  /** Sums of the pods' requests. */
  reqCPU = 0;
  reqMemory = 0;
  reqEphemeralStorage = 0;
  /** Sums of the pods' cpu/memory with non-zero defaults, for scoring. */
  nonZeroCPU = 0;
  nonZeroMemory = 0;
  /** Extended resources: allocatable and requested (absent when none). */
  allocScalar: Record<string, number> | undefined;
  reqScalar: Record<string, number> | undefined;
  pods: PodInfo[] = [];
  /** Pods with any pod (anti-)affinity, and those with required anti-affinity. */
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  /** Host ports in use, as "protocol/port" → IP → pods using it. */
  usedPorts = new Map<string, Map<string, number>>();
  /** Bumped on every change; lets callers notice a node changed. */
  generation = 0;

  constructor(readonly name: string) {}

  /** Sets (or replaces) the Node object. */
  setNode(node: Node): void {
    this.node = node;
    const a = nodeAllocatable(node);
    this.allocCPU = a.resource.milliCPU;
    this.allocMemory = a.resource.memory;
    this.allocEphemeralStorage = a.resource.ephemeralStorage;
    this.allocScalar = a.resource.scalar;
    this.allowedPodNumber = a.pods;
    this.labels = (node.metadata?.labels ?? {}) as Record<string, string>;
    this.taints = node.spec?.taints ?? [];
    this.hasTaints = this.taints.length > 0;
    this.unschedulable = !!node.spec?.unschedulable;
    this.plain = !this.hasTaints && !this.unschedulable;
    this.generation++;
  }

  /** Allocatable resources as a Resource. */
  get allocatable(): Resource {
    return { milliCPU: this.allocCPU, memory: this.allocMemory, ephemeralStorage: this.allocEphemeralStorage, ...(this.allocScalar ? { scalar: this.allocScalar } : {}) };
  }

  /** Requested resources as a Resource. */
  get requested(): Resource {
    return { milliCPU: this.reqCPU, memory: this.reqMemory, ephemeralStorage: this.reqEphemeralStorage, ...(this.reqScalar ? { scalar: this.reqScalar } : {}) };
  }

  /** Adds a pod's requests, ports and affinity. */
  addPod(pi: PodInfo): void {
    this.pods.push(pi);
    if (pi.affinity) {
      this.podsWithAffinity.push(pi);
      if (pi.affinity.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity.push(pi);
    }
    this.account(pi, 1);
  }

  /** Removes the pod with `key`; returns its PodInfo, or undefined when it is not here. */
  removePod(key: string): PodInfo | undefined {
    const i = this.pods.findIndex((p) => p.key === key);
    if (i < 0) return undefined;
    const pi = this.pods[i];
    this.pods.splice(i, 1);
    if (pi.affinity) {
      remove(this.podsWithAffinity, key);
      remove(this.podsWithRequiredAntiAffinity, key);
    }
    this.account(pi, -1);
    return pi;
  }

  /** True when one of `ports` is already taken on this node (0.0.0.0 conflicts with every IP). */
  portsConflict(ports: HostPort[]): boolean {
    for (const p of ports) {
      const ips = this.usedPorts.get(`${p.protocol}/${p.port}`);
      if (!ips) continue;
      if (p.ip === '0.0.0.0' || ips.has('0.0.0.0') || ips.has(p.ip)) return true;
    }
    return false;
  }

  /** A deep enough copy for simulations: pod lists and sums are copied, PodInfos and the Node shared. */
  clone(): NodeInfo {
    const c = Object.assign(new NodeInfo(this.name), this) as NodeInfo;
    c.reqScalar = this.reqScalar && { ...this.reqScalar };
    c.pods = [...this.pods];
    c.podsWithAffinity = [...this.podsWithAffinity];
    c.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    c.usedPorts = new Map([...this.usedPorts].map(([k, v]) => [k, new Map(v)]));
    return c;
  }

  private account(pi: PodInfo, sign: 1 | -1): void {
    const r = pi.requests;
    this.reqCPU += sign * r.milliCPU;
    this.reqMemory += sign * r.memory;
    this.reqEphemeralStorage += sign * r.ephemeralStorage;
    if (r.scalar) {
      const s = (this.reqScalar ??= {});
      for (const k in r.scalar) s[k] = (s[k] ?? 0) + sign * r.scalar[k];
    }
    this.nonZeroCPU += sign * pi.nonZeroCPU;
    this.nonZeroMemory += sign * pi.nonZeroMemory;
    for (const p of pi.hostPorts) {
      const k = `${p.protocol}/${p.port}`;
      let ips = this.usedPorts.get(k);
      if (!ips) this.usedPorts.set(k, (ips = new Map()));
      const n = (ips.get(p.ip) ?? 0) + sign;
      if (n > 0) ips.set(p.ip, n);
      else ips.delete(p.ip);
      if (!ips.size) this.usedPorts.delete(k);
    }
    this.generation++;
  }
}

function remove(list: PodInfo[], key: string): void {
  const i = list.findIndex((p) => p.key === key);
  if (i >= 0) list.splice(i, 1);
}
