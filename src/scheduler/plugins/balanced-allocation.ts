// NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in equal shares.
import type { NodeInfo } from '../node-info';
import { MAX_NODE_SCORE, PodInfo, Plugin } from '../types';

/** upstream balancedResourceScorer: (1 - standard deviation of the used fractions) × 100. */
export function balancedScore(requested: number[], allocatable: number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i] / allocatable[i], 1);
    total += f;
    fractions.push(f);
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0] - fractions[1]) / 2);
  else if (fractions.length > 2) {
    const mean = total / fractions.length;
    std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** The score on one node, from actual requests (no non-zero defaults, as upstream). */
export function balancedAllocationScore(pod: PodInfo, node: NodeInfo): number {
  const cpuCap = node.allocCPU;
  const memCap = node.allocMemory;
  const cpuReq = node.reqCPU + pod.requests.milliCPU;
  const memReq = node.reqMemory + pod.requests.memory;
  if (cpuCap === 0 || memCap === 0) return balancedScore([cpuReq, memReq], [cpuCap, memCap]);
  // Two resources (the default) need no arrays: the deviation of two fractions is half their difference.
  const cpu = Math.min(cpuReq / cpuCap, 1);
  const mem = Math.min(memReq / memCap, 1);
  return Math.trunc((1 - Math.abs((cpu - mem) / 2)) * MAX_NODE_SCORE);
}

/** The NodeResourcesBalancedAllocation score (weight 1); skipped for best-effort pods, which request nothing. */
export const balancedAllocation: Plugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  preScore: (_ctx, _state, pod) => pod.requests.milliCPU > 0 || pod.requests.memory > 0,
  score: (_ctx, _state, pod, node) => balancedAllocationScore(pod, node),
};
