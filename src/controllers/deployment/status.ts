// Deployment status as pure functions: counts from the ReplicaSets, Available and Progressing conditions, completion and deadline checks.
import type { DeploymentCondition, DeploymentStatus } from 'kubernetes-types/apps/v1';
import { parseTime } from '../shared/pod-util';
import type { Deployment, ReplicaSet } from '../shared/types';
import { specReplicas } from '../shared/types';
import {
  getCondition,
  MINIMUM_REPLICAS_AVAILABLE,
  MINIMUM_REPLICAS_UNAVAILABLE,
  NEW_RS_AVAILABLE_REASON,
  newCondition,
  REPLICA_SET_UPDATED_REASON,
  removeCondition,
  setCondition,
  TIMED_OUT_REASON,
} from './conditions';
import { maxUnavailable } from './fenceposts';
import { actualReplicaCount, availableReplicaCount, readyReplicaCount, replicaCount } from './replicas';
import { MAX_INT32 } from './replicasets';

/** True when progress is tracked against spec.progressDeadlineSeconds. */
export function hasProgressDeadline(d: Deployment): boolean {
  return d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== MAX_INT32;
}

/** Upstream calculateStatus: counts summed over the ReplicaSets, observedGeneration, and the Available condition. */
export function calculateStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  // More available than desired (while scaling down) is not negative unavailability.
  const unavailable = Math.max(replicaCount(allRSs) - available, 0);
  const counts: Record<string, number> = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  };
  const status: DeploymentStatus = {};
  // Zero counts are left out, as Go's omitempty does on the wire.
  for (const [k, v] of Object.entries(counts)) if (v) (status as Record<string, number>)[k] = v;
  if (d.status?.conditions?.length) status.conditions = [...d.status.conditions];
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** All desired replicas are updated and available, no old ones remain, and the current generation is observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = specReplicas(d);
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** Progress since the last status: more updated, fewer old, or more ready or available replicas. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** No progress reported for progressDeadlineSeconds (or already timed out); a completed rollout never times out. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(s, 'Progressing');
  if (!cond || cond.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (cond.reason === TIMED_OUT_REASON) return true;
  const from = parseTime(cond.lastUpdateTime) ?? 0;
  return from + d.spec.progressDeadlineSeconds! * 1000 < now;
}

/** ReplicaFailure conditions of the new ReplicaSet, else of any ReplicaSet, as Deployment conditions. */
function replicaFailures(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const of = (rs: ReplicaSet | undefined) =>
    (rs?.status?.conditions ?? [])
      .filter((c) => c.type === 'ReplicaFailure')
      .map((c) => ({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, lastUpdateTime: c.lastTransitionTime, reason: c.reason, message: c.message }));
  const own = of(newRS);
  return own.length ? own : allRSs.flatMap(of);
}

/**
 * Upstream syncRolloutStatus without the write: the status with the Progressing condition moved on (complete,
 * progressing, or timed out) and ReplicaSet failures surfaced.
 */
export function rolloutStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const s = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  // A finished rollout being resynced needs no progress estimate.
  const complete = s.replicas === s.updatedReplicas && current?.reason === NEW_RS_AVAILABLE_REASON;
  const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, s)) {
      setCondition(s, newCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, s)) {
      // Progress refreshes lastUpdateTime even with an unchanged reason; that is what the deadline is measured from.
      const cond = newCondition('Progressing', 'True', REPLICA_SET_UPDATED_REASON, `${subject} is progressing.`, now);
      if (current?.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
      removeCondition(s, 'Progressing');
      setCondition(s, cond);
    } else if (deploymentTimedOut(d, s, now)) {
      setCondition(s, newCondition('Progressing', 'False', TIMED_OUT_REASON, `${subject} has timed out progressing.`, now));
    }
  }
  const failures = replicaFailures(allRSs, newRS);
  if (failures.length) setCondition(s, failures[0]);
  else removeCondition(s, 'ReplicaFailure');
  return s;
}

/**
 * Upstream requeueStuckDeployment's decision: ms until the progress deadline of a rollout that is neither complete
 * nor timed out (0: check now), or undefined when no check is needed.
 */
export function progressCheckAfter(d: Deployment, s: DeploymentStatus, now: number): number | undefined {
  const cur = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !cur) return undefined;
  if (deploymentComplete(d, s) || cur.reason === TIMED_OUT_REASON) return undefined;
  const after = (parseTime(cur.lastUpdateTime) ?? 0) + d.spec.progressDeadlineSeconds! * 1000 - now;
  return after < 1000 ? 0 : after;
}

/** Deep equality of two statuses (their JSON, keys in order of a canonical walk). */
export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
              .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(canon(a ?? {})) === JSON.stringify(canon(b ?? {}));
}
