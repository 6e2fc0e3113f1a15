// Revision bookkeeping in annotations: revision numbers, revision history, desired/max replicas, and annotations copied from the Deployment.
import { logger } from '../../util/log';
import type { Deployment, ReplicaSet } from '../shared/types';
import { specReplicas } from '../shared/types';
import { maxSurge } from './fenceposts';

const log = logger('deployment-controller');

/** The rollout sequence number of a ReplicaSet (and of its Deployment). */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Earlier revisions a ReplicaSet served (it is reused when rolling back to its template). */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** spec.replicas of the Deployment when the ReplicaSet was last scaled: tells scaling events from rollouts. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** spec.replicas + maxSurge of the Deployment then: the base of proportional scaling. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** The user's reason for a change; copied to the ReplicaSet and shown by `kubectl rollout history`. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** The revision-history annotation stops growing at about this length (100 revisions). */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;

/** Annotations never copied between a Deployment and its ReplicaSets. */
export const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

const INTEGER = /^[+-]?\d+$/;

/** The revision of an object: 0 without the annotation, undefined when it does not parse. */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number | undefined {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return INTEGER.test(v) ? Number(v) : undefined;
}

/** The highest revision among `rss` (unparsable ones skipped). */
export function maxRevision(rss: ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

/** Sets the Deployment's revision annotation; true when it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[REVISION_ANNOTATION] === revision) return false;
  a[REVISION_ANNOTATION] = revision;
  return true;
}

/** Copies the Deployment's annotations (except the skipped ones) onto the ReplicaSet; true when any changed. */
function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

/** Integer value of an annotation, undefined when absent or not an integer. */
export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  return v !== undefined && INTEGER.test(v) ? Number(v) : undefined;
}

/** True when the desired/max replicas annotations differ from these values. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations;
  return !a || a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** Sets the desired/max replicas annotations; true when they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  const a = (rs.metadata.annotations ??= {});
  a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
  a[MAX_REPLICAS_ANNOTATION] = String(max);
  return true;
}

/**
 * Upstream SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to `newRevision`
 * (recording the old one in revision-history when this is a rollback to an existing ReplicaSet), and on creation
 * sets the replicas annotations. Mutates `rs`; true when its annotations changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean, historyLimitChars = MAX_REV_HISTORY_LENGTH_IN_CHARS): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const oldRevision = a[REVISION_ANNOTATION];
  const had = oldRevision !== undefined;
  let oldRev = 0;
  if (had && oldRevision !== '') {
    if (!INTEGER.test(oldRevision)) {
      log.warn('replica set revision is not an integer', { obj: `${rs.metadata.namespace}/${rs.metadata.name}`, revision: oldRevision });
      return false;
    }
    oldRev = Number(oldRevision);
  }
  if (!INTEGER.test(newRevision)) return false;
  const newRev = Number(newRevision);
  if (oldRev < newRev) {
    a[REVISION_ANNOTATION] = newRevision;
    changed = true;
    // The ReplicaSet served an earlier revision: this is a rollback to it, so keep the old number in its history.
    if (had) {
      const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
      if (!history) a[REVISION_HISTORY_ANNOTATION] = oldRevision;
      else {
        const old = history.split(',');
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > historyLimitChars && start < old.length) total -= old[start++].length + 1;
        if (total <= historyLimitChars) a[REVISION_HISTORY_ANNOTATION] = [...old.slice(start), oldRevision].join(',');
        else log.warn('not appending revision: revision history length limit reached', { obj: `${rs.metadata.namespace}/${rs.metadata.name}` });
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}
