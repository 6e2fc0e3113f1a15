// Deployment conditions: upstream's reasons and the get/set/remove rules (a condition only changes when status or reason does).
import type { DeploymentCondition, DeploymentStatus } from 'kubernetes-types/apps/v1';
import { rfc3339 } from '../../util/clock';

/** Progressing: a ReplicaSet of the rollout was scaled. */
export const REPLICA_SET_UPDATED_REASON = 'ReplicaSetUpdated';
/** Progressing=False: the new ReplicaSet could not be created. */
export const FAILED_RS_CREATE_REASON = 'ReplicaSetCreateError';
/** Progressing: a new ReplicaSet was created. */
export const NEW_REPLICA_SET_REASON = 'NewReplicaSetCreated';
/** Progressing: an existing ReplicaSet matches the template. */
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
/** Progressing: the rollout completed. */
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
/** Progressing=False: no progress within progressDeadlineSeconds. */
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
/** Progressing=Unknown: paused. */
export const PAUSED_DEPLOY_REASON = 'DeploymentPaused';
/** Progressing=Unknown: resumed. */
export const RESUMED_DEPLOY_REASON = 'DeploymentResumed';
/** Available=True. */
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
/** Available=False. */
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';

/** A condition stamped `now` (both update and transition times). */
export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: number): DeploymentCondition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** The condition of `type`, if present. */
export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** Sets `cond` unless one with the same status and reason exists; keeps lastTransitionTime when only the reason changes. */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const cur = getCondition(status, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  const next = cur && cur.status === cond.status ? { ...cond, lastTransitionTime: cur.lastTransitionTime } : cond;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

/** Removes the condition of `type`. */
export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
  if (!status.conditions.length) delete status.conditions;
}
