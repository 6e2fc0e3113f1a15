// Pod garbage collection decisions (upstream pkg/controller/podgc) as pure functions: which pods go, in what order, and the status they are left with.
import type { Node, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../util/clock';
import type { Pod } from '../shared/types';

/** Upstream --terminated-pod-gc-threshold default: finished pods kept before the oldest are deleted. */
export const TERMINATED_POD_GC_THRESHOLD = 12_500;
/** Upstream gcCheckPeriod: how often the collector runs. */
export const GC_CHECK_PERIOD_MS = 20_000;
/** Upstream quarantineTime: how long a node must be missing from the informer before it is looked up and its pods collected. */
export const QUARANTINE_MS = 40_000;
/** The taint an administrator puts on a node that is down for good (upstream v1.TaintNodeOutOfService). */
export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

/** The condition an orphaned pod is marked with before it is deleted. */
export const ORPHANED_CONDITION = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' } as const;

/** upstream isPodTerminated: any phase but Pending, Running and Unknown. */
export function isPodTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

/** upstream eviction.PodIsEvicted: Failed with reason Evicted. */
export function isPodEvicted(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted';
}

/** upstream byEvictionAndCreationTimestamp: evicted pods first, then the oldest, names breaking ties. */
export function byEvictionAndCreation(a: Pod, b: Pod): number {
  const ea = isPodEvicted(a);
  const eb = isPodEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** upstream gcTerminated: the finished pods beyond `threshold`, evicted and oldest first (none when threshold <= 0). */
export function terminatedPodsToDelete(pods: Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isPodTerminated);
  const excess = terminated.length - threshold;
  return excess > 0 ? terminated.sort(byEvictionAndCreation).slice(0, excess) : [];
}

/** upstream IsNodeReady: the Ready condition is True. */
export function isNodeReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** upstream gcTerminating: terminating pods on nodes that are not Ready and carry the out-of-service taint. */
export function terminatingOutOfServicePods(pods: Pod[], nodes: Map<string, Node>): Pod[] {
  return pods
    .filter((p) => {
      if (!p.metadata.deletionTimestamp) return false;
      const node = nodes.get(p.spec.nodeName ?? '');
      return !!node && !isNodeReady(node) && (node.spec?.taints ?? []).some((t) => t.key === OUT_OF_SERVICE_TAINT);
    })
    .sort(byEvictionAndCreation);
}

/** Names of nodes pods are bound to that are not in `existing` (candidates for quarantine). */
export function missingNodes(pods: Pod[], existing: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const p of pods) if (p.spec.nodeName && !existing.has(p.spec.nodeName)) out.add(p.spec.nodeName);
  return out;
}

/** upstream gcOrphaned, last step: the pods bound to nodes confirmed deleted. */
export function orphanedPods(pods: Pod[], deletedNodes: Set<string>): Pod[] {
  return pods.filter((p) => !!p.spec.nodeName && deletedNodes.has(p.spec.nodeName));
}

/** upstream gcUnscheduledTerminating: terminating pods never bound to a node (no kubelet will ever finish them). */
export function unscheduledTerminatingPods(pods: Pod[]): Pod[] {
  return pods.filter((p) => !!p.metadata.deletionTimestamp && !p.spec.nodeName);
}

/**
 * upstream markFailedAndDeletePodWithCondition, first step: the status patch that moves a pod not yet finished to
 * Failed (with `condition`, as UpdatePodCondition), or undefined when it already finished. Without it an orphaned pod
 * would stay Running forever, as no kubelet is left to say otherwise.
 */
export function failedStatusPatch(pod: Pod, condition: Omit<PodCondition, 'lastTransitionTime'> | undefined, now: number): { metadata: { uid?: string }; status: PodStatus } | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const status: PodStatus = { phase: 'Failed' };
  if (condition) {
    const old = pod.status?.conditions?.find((c) => c.type === condition.type);
    // A condition keeps its transition time unless its status flips (upstream UpdatePodCondition).
    const lastTransitionTime = old && old.status === condition.status ? old.lastTransitionTime : rfc3339(now);
    status.conditions = [{ ...condition, lastTransitionTime }];
  }
  return { metadata: { uid: pod.metadata.uid }, status };
}
