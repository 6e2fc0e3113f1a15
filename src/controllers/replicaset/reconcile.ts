// The ReplicaSet controller's decisions as pure functions: how many pods to create, which to delete, and the status.
import type { ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1';
import { matchesLabels } from '../../machinery/labels';
import { rfc3339 } from '../../util/clock';
import { errorMessage } from '../shared/errors';
import { sortForDeletion } from '../shared/pod-ranking';
import { isPodActive, isPodAvailable, isPodReady } from '../shared/pod-util';
import type { Pod, ReplicaSet } from '../shared/types';
import { specReplicas } from '../shared/types';

/** Upstream BurstReplicas: at most this many creates or deletes per sync. */
export const BURST_REPLICAS = 500;

/** Pods that count towards replicas: not finished and not being deleted. */
export function filterActivePods(pods: Pod[]): Pod[] {
  return pods.filter(isPodActive);
}

/** How many pods to create now (0 when there are enough), capped at BURST_REPLICAS. */
export function podsToCreate(rs: ReplicaSet, activePods: Pod[]): number {
  return Math.min(Math.max(specReplicas(rs) - activePods.length, 0), BURST_REPLICAS);
}

/**
 * Which pods to delete now (none when there are not too many), capped at BURST_REPLICAS: the least valuable first —
 * unscheduled, pending, not ready, cheap to delete, doubled up on a node with related pods, ready for less time,
 * restarted more, newer.
 */
export function podsToDelete(rs: ReplicaSet, activePods: Pod[], relatedPods: Pod[], now: number): Pod[] {
  const diff = Math.min(Math.max(activePods.length - specReplicas(rs), 0), BURST_REPLICAS);
  if (diff === 0) return [];
  if (diff >= activePods.length) return [...activePods];
  // Rank: how many active related pods (of the same owner's ReplicaSets) share the pod's node.
  const onNode = new Map<string, number>();
  for (const p of relatedPods) if (isPodActive(p)) onNode.set(p.spec.nodeName ?? '', (onNode.get(p.spec.nodeName ?? '') ?? 0) + 1);
  const ranked = activePods.map((pod) => ({ pod, rank: onNode.get(pod.spec.nodeName ?? '') ?? 0 }));
  return sortForDeletion(ranked, now)
    .slice(0, diff)
    .map((r) => r.pod);
}

/** The ReplicaFailure condition of a status, if any. */
function failureCondition(status: ReplicaSetStatus | undefined): ReplicaSetCondition | undefined {
  return status?.conditions?.find((c) => c.type === 'ReplicaFailure');
}

/**
 * Upstream calculateStatus: replicas, fully labeled, ready and available (ready for minReadySeconds) counts of the
 * claimed active pods, with a ReplicaFailure condition while creating or deleting fails. observedGeneration is set
 * when the status is written.
 */
export function calculateStatus(rs: ReplicaSet, activePods: Pod[], manageReplicasErr: unknown, now: number): ReplicaSetStatus {
  const templateLabels = Object.entries(rs.spec.template?.metadata?.labels ?? {}).map(([key, v]) => ({ key, op: 'In' as const, values: [v] }));
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    if (matchesLabels(templateLabels, pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  let conditions = [...(rs.status?.conditions ?? [])];
  const failure = failureCondition(rs.status);
  if (manageReplicasErr !== undefined && !failure) {
    const diff = activePods.length - specReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions = [...conditions, { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason, message: errorMessage(manageReplicasErr) }];
  } else if (manageReplicasErr === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  const status: ReplicaSetStatus = { replicas: activePods.length };
  // Zero counts are left out, as Go's omitempty does on the wire.
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (rs.status?.observedGeneration) status.observedGeneration = rs.status.observedGeneration;
  if (conditions.length) status.conditions = conditions;
  return status;
}

/** False in the steady state: same counts and conditions, and the current generation already observed. */
export function statusNeedsUpdate(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur = rs.status ?? { replicas: 0 };
  return (
    (cur.replicas ?? 0) !== (next.replicas ?? 0) ||
    (cur.fullyLabeledReplicas ?? 0) !== (next.fullyLabeledReplicas ?? 0) ||
    (cur.readyReplicas ?? 0) !== (next.readyReplicas ?? 0) ||
    (cur.availableReplicas ?? 0) !== (next.availableReplicas ?? 0) ||
    (rs.metadata.generation ?? 0) !== (cur.observedGeneration ?? 0) ||
    JSON.stringify(cur.conditions ?? []) !== JSON.stringify(next.conditions ?? [])
  );
}
