// Requests/limits → CRI LinuxContainerResources (cpu shares/quota, memory, OOM score) and the pod's cgroup parent, as upstream's kuberuntime and cm.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { LinuxContainerResources } from '../../cri/types';
import { podQOSClass } from '../../api/strategies/pod-qos';
import { tryParseQuantity } from '../../machinery/quantity';
import { isRestartableInit } from '../pod-conditions';

/** upstream MinShares / MaxShares / SharesPerCPU. */
const MIN_SHARES = 2;
const MAX_SHARES = 262144;
const SHARES_PER_CPU = 1024;
/** The CFS period the kubelet sets (100 ms in µs) and the smallest quota (1 ms). */
export const QUOTA_PERIOD = 100_000;
const MIN_QUOTA = 1000;
/** OOM score adjustments by QoS class (upstream qos/policy.go). */
export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BESTEFFORT_OOM_SCORE_ADJ = 1000;
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

/** The pod's QoS class: the one recorded in status at creation, else computed from the spec. */
export function podQOS(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const recorded = pod.status?.qosClass;
  if (recorded === 'Guaranteed' || recorded === 'Burstable' || recorded === 'BestEffort') return recorded;
  return podQOSClass(pod.spec);
}

const milli = (v: string | undefined): number => (v === undefined ? 0 : Number(tryParseQuantity(v)?.milliValue() ?? 0n));
const units = (v: string | undefined): number => (v === undefined ? 0 : Number(tryParseQuantity(v)?.value() ?? 0n));

/** CPU shares for a millicore request (upstream MilliCPUToShares): 1024 per core, at least 2. */
export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU === 0) return MIN_SHARES;
  const shares = Math.floor((milliCPU * SHARES_PER_CPU) / 1000);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** CFS quota in µs per period for a millicore limit (upstream milliCPUToQuota); 0 means unlimited, else at least 1 ms. */
export function milliCPUToQuota(milliCPU: number, period = QUOTA_PERIOD): number {
  if (milliCPU === 0) return 0;
  return Math.max(MIN_QUOTA, Math.floor((milliCPU * period) / 1000));
}

function isNodeCritical(pod: Pod): boolean {
  return (pod.spec?.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY && pod.spec?.priorityClassName === 'system-node-critical';
}

/** The container's oom_score_adj (upstream GetContainerOOMScoreAdjust): -997 Guaranteed, 1000 BestEffort, Burstable by request share of memory. */
export function containerOOMScoreAdjust(pod: Pod, container: Container, memoryCapacityBytes: number): number {
  if (isNodeCritical(pod)) return GUARANTEED_OOM_SCORE_ADJ;
  const qos = podQOS(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  let request = units(container.resources?.requests?.memory);
  // A sidecar is scored like the regular containers it serves: at most the lowest adjustment among them.
  if (isRestartableInit(container)) {
    for (const c of pod.spec?.containers ?? []) request = Math.max(request, units(c.resources?.requests?.memory));
  }
  const adj = memoryCapacityBytes > 0 ? 1000 - Math.trunc((1000 * request) / memoryCapacityBytes) : 1000;
  // Burstable stays above what a Guaranteed pod using all memory scores, and below BestEffort.
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BESTEFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

/** How the node's cgroups are laid out, for the few settings that differ (swap, OOM group kill). */
export interface CgroupHost {
  /** cgroup v2 unified hierarchy (else v1). */
  v2: boolean;
  /** The memory controller can limit swap (v1: memory.memsw.* exists; v2: memory.swap.max). */
  swapControllerAvailable: boolean;
}

/** Requests/limits → CRI resources (upstream generateLinuxContainerResources); memoryCapacityBytes is the node's memory capacity. */
export function containerResources(pod: Pod, container: Container, memoryCapacityBytes: number, host: CgroupHost = { v2: false, swapControllerAvailable: false }): LinuxContainerResources {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const cpuLimit = milli(limits.cpu);
  // A limit without a request means request = limit (the API server defaults it; repeated for old pods).
  const cpuShares = milli(requests.cpu) === 0 && cpuLimit !== 0 ? milliCPUToShares(cpuLimit) : milliCPUToShares(milli(requests.cpu));
  const memoryLimit = units(limits.memory);
  const unified: Record<string, string> = {};
  let memorySwapLimitInBytes = 0;
  // Kill the whole container on OOM, as upstream does by default on cgroup v2.
  if (host.v2) unified['memory.oom.group'] = '1';
  // NoSwap: containers may not use swap beyond their memory limit.
  if (host.swapControllerAvailable) {
    if (host.v2) unified['memory.swap.max'] = '0';
    else if (memoryLimit > 0) memorySwapLimitInBytes = memoryLimit;
  }
  return {
    cpuPeriod: QUOTA_PERIOD,
    cpuQuota: milliCPUToQuota(cpuLimit),
    cpuShares,
    memoryLimitInBytes: memoryLimit,
    oomScoreAdj: containerOOMScoreAdjust(pod, container, memoryCapacityBytes),
    cpusetCpus: '',
    cpusetMems: '',
    unified,
    memorySwapLimitInBytes,
  };
}

/**
 * The pod's total of one resource (upstream PodRequests/PodLimits): regular containers and sidecars add up, an init container
 * counts beside the sidecars started before it, the larger of the two phases wins, and the pod overhead is added.
 */
export function podResourceTotal(pod: Pod, kind: 'requests' | 'limits', resource: 'cpu' | 'memory'): number {
  const of = (c: Container) => (resource === 'cpu' ? milli : units)(c.resources?.[kind]?.[resource]);
  let total = (pod.spec?.containers ?? []).reduce((n, c) => n + of(c), 0);
  let sidecars = 0;
  let initMax = 0;
  for (const c of pod.spec?.initContainers ?? []) {
    if (isRestartableInit(c)) {
      total += of(c);
      sidecars += of(c);
      initMax = Math.max(initMax, sidecars);
    } else initMax = Math.max(initMax, sidecars + of(c));
  }
  const overhead = pod.spec?.overhead?.[resource];
  return Math.max(total, initMax) + (resource === 'cpu' ? milli : units)(overhead);
}

const allHaveLimit = (pod: Pod, resource: 'cpu' | 'memory') =>
  [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].every((c) => (resource === 'cpu' ? milli : units)(c.resources?.limits?.[resource]) > 0);

/** The pod's memory limit in bytes when every container has one (upstream ResourceConfigForPod), else undefined. */
export function podMemoryLimitBytes(pod: Pod): number | undefined {
  return allHaveLimit(pod, 'memory') ? podResourceTotal(pod, 'limits', 'memory') : undefined;
}

/** The pod cgroup's settings (upstream ResourceConfigForPod); unset fields stay unlimited. */
export interface PodResourceConfig {
  cpuShares: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  memoryLimitInBytes?: number;
}

/** Limits of the pod-level cgroup by QoS class: Guaranteed all, Burstable those every container declares, BestEffort minimum shares. */
export function podResourceConfig(pod: Pod): PodResourceConfig {
  const qos = podQOS(pod);
  if (qos === 'BestEffort') return { cpuShares: MIN_SHARES };
  const cfg: PodResourceConfig = { cpuShares: milliCPUToShares(podResourceTotal(pod, 'requests', 'cpu')) };
  if (qos === 'Guaranteed' || allHaveLimit(pod, 'cpu')) {
    cfg.cpuQuota = milliCPUToQuota(podResourceTotal(pod, 'limits', 'cpu'));
    cfg.cpuPeriod = QUOTA_PERIOD;
  }
  if (qos === 'Guaranteed' || allHaveLimit(pod, 'memory')) cfg.memoryLimitInBytes = podResourceTotal(pod, 'limits', 'memory');
  return cfg;
}

/** The pod's cgroup parent (upstream pod container manager names): /kubepods[/burstable|/besteffort]/pod<uid>, or the systemd slice. */
export function podCgroupParent(pod: Pod, driver: 'cgroupfs' | 'systemd' = 'cgroupfs'): string {
  const qos = podQOS(pod);
  const uid = pod.metadata?.uid ?? '';
  const tier = qos === 'Guaranteed' ? [] : [qos.toLowerCase()];
  if (driver === 'systemd') {
    // systemd slices nest by name: kubepods-burstable-pod<uid with - as _>.slice
    return `${['kubepods', ...tier, `pod${uid.replace(/-/g, '_')}`].join('-')}.slice`;
  }
  return `/${['kubepods', ...tier, `pod${uid}`].join('/')}`;
}
