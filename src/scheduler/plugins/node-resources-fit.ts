// NodeResourcesFit: the pod's requests (cpu, memory, ephemeral storage, extended resources, pod count) must fit; least-allocated scoring.
import type { NodeInfo } from '../node-info';
import { MAX_NODE_SCORE, PodInfo, Plugin } from '../types';

const NAME = 'NodeResourcesFit';

/** upstream fitsRequest: the reasons the pod does not fit the node's free allocatable (empty: it fits). */
export function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  const out: string[] = [];
  if (node.pods.length + 1 > node.allowedPodNumber) out.push('Too many pods');
  const req = pod.requests;
  if (req.milliCPU > 0 && req.milliCPU > node.allocCPU - node.reqCPU) out.push('Insufficient cpu');
  if (req.memory > 0 && req.memory > node.allocMemory - node.reqMemory) out.push('Insufficient memory');
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > node.allocEphemeralStorage - node.reqEphemeralStorage) out.push('Insufficient ephemeral-storage');
  if (req.scalar) {
    for (const name in req.scalar) {
      const q = req.scalar[name];
      if (q > 0 && q > (node.allocScalar?.[name] ?? 0) - (node.reqScalar?.[name] ?? 0)) out.push(`Insufficient ${name}`);
    }
  }
  return out;
}

// The common case without allocating: true when the pod certainly fits (no extended resources, room for everything).
function fitsQuickly(pod: PodInfo, node: NodeInfo): boolean {
  const req = pod.requests;
  return (
    node.pods.length < node.allowedPodNumber &&
    req.milliCPU <= node.allocCPU - node.reqCPU &&
    req.memory <= node.allocMemory - node.reqMemory &&
    req.ephemeralStorage <= node.allocEphemeralStorage - node.reqEphemeralStorage &&
    !req.scalar
  );
}

/** upstream leastRequestedScore: the free share of one resource, 0–100 (0 when over-requested or nothing allocatable). */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** The LeastAllocated strategy over cpu and memory (weight 1 each), with non-zero default requests. */
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  let score = 0;
  let weights = 0;
  const cpuCap = node.allocCPU;
  if (cpuCap !== 0) {
    score += leastRequestedScore(node.nonZeroCPU + pod.nonZeroCPU, cpuCap);
    weights++;
  }
  const memCap = node.allocMemory;
  if (memCap !== 0) {
    score += leastRequestedScore(node.nonZeroMemory + pod.nonZeroMemory, memCap);
    weights++;
  }
  return weights ? Math.trunc(score / weights) : 0;
}

/** The NodeResourcesFit filter and score (weight 1). */
export const nodeResourcesFit: Plugin = {
  name: NAME,
  weight: 1,
  filter(_ctx, _state, pod, node) {
    if (fitsQuickly(pod, node)) return undefined;
    const reasons = insufficientResources(pod, node);
    return reasons.length ? { code: 'Unschedulable', reasons, plugin: NAME } : undefined;
  },
  score: (_ctx, _state, pod, node) => leastAllocatedScore(pod, node),
};
