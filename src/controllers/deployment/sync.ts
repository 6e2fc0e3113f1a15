// Sync steps shared by every strategy: find or create the new ReplicaSet (revisions), scale (proportionally), clean up old ReplicaSets, write status.
import { logger } from '../../util/log';
import { getControllerOf } from '../shared/controller-ref';
import { errorMessage, hasStatusCause, isAlreadyExists, isNotFound, NAMESPACE_TERMINATING_CAUSE } from '../shared/errors';
import type { Deployment, ReplicaSet } from '../shared/types';
import { specReplicas } from '../shared/types';
import {
  DESIRED_REPLICAS_ANNOTATION,
  intAnnotation,
  maxRevision,
  replicasAnnotationsNeedUpdate,
  REVISION_ANNOTATION,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './annotations';
import { FAILED_RS_CREATE_REASON, FOUND_NEW_RS_REASON, getCondition, NEW_REPLICA_SET_REASON, newCondition, PAUSED_DEPLOY_REASON, RESUMED_DEPLOY_REASON, setCondition, TIMED_OUT_REASON } from './conditions';
import { computeHash } from '../shared/hash';
import type { SyncContext } from './port';
import { isRollingUpdate, maxSurge } from './fenceposts';
import { isSaturated, newRSNewReplicas, proportionalScale } from './replicas';
import { equalIgnoreHash, filterActiveReplicaSets, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets, newReplicaSetFor, replicaSetsToCleanUp } from './replicasets';
import { calculateStatus, hasProgressDeadline, statusEqual } from './status';

const log = logger('deployment-controller');

const objKey = (o: { metadata: { namespace?: string; name?: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;

/** Writes `d`'s status (and, on the server's terms, its annotations); keeps `d`'s resourceVersion current for the next write of this sync. */
export async function updateDeploymentStatus(ctx: SyncContext, d: Deployment): Promise<void> {
  const updated = await ctx.port.updateDeploymentStatus(d);
  d.metadata.resourceVersion = updated.metadata.resourceVersion;
}

/** The new ReplicaSet (created when asked and missing) and every old one, with revisions brought up to date. */
export async function getAllReplicaSetsAndSyncRevision(
  ctx: SyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
  createIfNotExisted: boolean,
): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
  const oldRSs = findOldReplicaSets(d, rsList);
  const newRS = await getNewReplicaSet(ctx, d, rsList, oldRSs, createIfNotExisted);
  return { newRS, oldRSs };
}

/**
 * Upstream getNewReplicaSet: an existing new ReplicaSet gets the Deployment's annotations and the next revision
 * (a rollback to it moves its old revision into revision-history); a missing one is created as "<name>-<hash>".
 * A name taken by a different template is a hash collision: collisionCount goes up and the sync is retried.
 */
async function getNewReplicaSet(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], createIfNotExisted: boolean): Promise<ReplicaSet | undefined> {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = String(maxRevision(oldRSs) + 1);
  const now = ctx.now();
  if (existing) {
    const copy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    if (annotationsUpdated || (copy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0)) {
      if (d.spec.minReadySeconds) copy.spec.minReadySeconds = d.spec.minReadySeconds;
      else delete copy.spec.minReadySeconds;
      const updated = await ctx.port.updateReplicaSet(copy);
      // Later steps of this sync see the written copy, not the stale cached one.
      rsList[rsList.indexOf(existing)] = updated;
      return updated;
    }
    // The revision recorded on the ReplicaSet is the one that counts.
    let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
    if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
      setCondition((d.status ??= {}), newCondition('Progressing', 'True', FOUND_NEW_RS_REASON, `Found new replica set "${copy.metadata.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await updateDeploymentStatus(ctx, d);
    return copy;
  }
  if (!createIfNotExisted) return undefined;

  const newRS = newReplicaSetFor(d, computeHash(d.spec.template, d.status?.collisionCount));
  const replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec.replicas = replicas;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);
  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await ctx.port.createReplicaSet(newRS);
  } catch (e) {
    if (isAlreadyExists(e)) {
      // A slow cache, or a hash collision with a ReplicaSet of another template.
      alreadyExists = true;
      const rs = ctx.cachedReplicaSet(d.metadata.namespace!, newRS.metadata.name!);
      if (!rs) throw e;
      if (getControllerOf(rs)?.uid !== d.metadata.uid || !equalIgnoreHash(d.spec.template, rs.spec.template)) {
        const before = d.status?.collisionCount ?? 0;
        d.status = { ...d.status, collisionCount: before + 1 };
        try {
          await updateDeploymentStatus(ctx, d);
          log.info('hash collision; bumping collisionCount', { obj: objKey(d), oldCollisionCount: before, newCollisionCount: before + 1 });
        } catch (statusErr) {
          log.debug('collisionCount not written', { obj: objKey(d), err: errorMessage(statusErr) });
        }
        throw e;
      }
      created = rs;
    } else {
      // In a terminating namespace every create fails: nothing to report.
      if (hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) throw e;
      const msg = `Failed to create new replica set "${newRS.metadata.name}": ${errorMessage(e)}`;
      if (hasProgressDeadline(d)) {
        setCondition((d.status ??= {}), newCondition('Progressing', 'False', FAILED_RS_CREATE_REASON, msg, now));
        // The create failure is the error worth returning; a failed status write adds nothing.
        await updateDeploymentStatus(ctx, d).catch(() => undefined);
      }
      ctx.recorder.event(d, 'Warning', FAILED_RS_CREATE_REASON, msg);
      throw e;
    }
  }
  if (!alreadyExists && replicas > 0) ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition((d.status ??= {}), newCondition('Progressing', 'True', NEW_REPLICA_SET_REASON, `Created new replica set "${created.metadata.name}"`, now));
    needsUpdate = true;
  }
  if (needsUpdate) await updateDeploymentStatus(ctx, d);
  if (!rsList.includes(created)) rsList.push(created);
  return created;
}

/** Scales `rs` to `newScale` and refreshes its desired/max replicas annotations; an event when the size changed. */
export async function scaleReplicaSet(ctx: SyncContext, rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const oldScale = specReplicas(rs);
  const sizeNeedsUpdate = oldScale !== newScale;
  const desired = specReplicas(d);
  const max = desired + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const copy = structuredClone(rs);
  copy.spec.replicas = newScale;
  setReplicasAnnotations(copy, desired, max);
  const updated = await ctx.port.updateReplicaSet(copy);
  if (sizeNeedsUpdate) {
    const dir = oldScale < newScale ? 'up' : 'down';
    ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`);
  }
  return { scaled: sizeNeedsUpdate, rs: updated };
}

/** scaleReplicaSet when the size differs. */
export async function scaleReplicaSetAndRecordEvent(ctx: SyncContext, rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (specReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(ctx, rs, newScale, d);
}

/**
 * Upstream scale(): a resize outside a rollout goes to the one active (or newest) ReplicaSet; with a saturated new
 * ReplicaSet the old ones go to zero; during a rolling update the change is spread proportionally.
 */
export async function scale(ctx: SyncContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const single = findActiveOrLatest(newRS, oldRSs);
  if (single) {
    if (specReplicas(single) !== specReplicas(d)) await scaleReplicaSetAndRecordEvent(ctx, single, specReplicas(d), d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActiveReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(ctx, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  for (const { rs, size } of proportionalScale(d, newRS, oldRSs)) await scaleReplicaSet(ctx, rs, size, d);
}

/** Deletes old ReplicaSets beyond spec.revisionHistoryLimit (oldest first, only empty ones). */
export async function cleanupDeployment(ctx: SyncContext, oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
  for (const rs of replicaSetsToCleanUp(d, oldRSs)) {
    try {
      await ctx.port.deleteReplicaSet(rs.metadata.namespace!, rs.metadata.name!);
    } catch (e) {
      // Stop at the first failure rather than pile more deletes on a struggling server.
      if (!isNotFound(e)) throw e;
    }
  }
}

/** Writes the calculated status when it differs. */
export async function syncDeploymentStatus(ctx: SyncContext, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const next = calculateStatus(allRSs, newRS, d, ctx.now());
  if (statusEqual(d.status, next)) return;
  d.status = next;
  await updateDeploymentStatus(ctx, d);
}

/** Status only (a Deployment being deleted). */
export async function syncStatusOnly(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

/** Scaling events and paused Deployments: resize without rolling out. */
export async function sync(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await scale(ctx, d, newRS, oldRSs);
  // A paused Deployment does not reach the rollout's own cleanup.
  if (d.spec.paused) await cleanupDeployment(ctx, oldRSs, d);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

/** Progressing=Unknown with DeploymentPaused/DeploymentResumed, so time spent paused never counts against the deadline. */
export async function checkPausedConditions(ctx: SyncContext, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, 'Progressing');
  // A reported timeout stays.
  if (cond?.reason === TIMED_OUT_REASON) return;
  const pausedCond = cond?.reason === PAUSED_DEPLOY_REASON;
  const now = ctx.now();
  if (d.spec.paused && !pausedCond) setCondition((d.status ??= {}), newCondition('Progressing', 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', now));
  else if (!d.spec.paused && pausedCond) setCondition((d.status ??= {}), newCondition('Progressing', 'Unknown', RESUMED_DEPLOY_REASON, 'Deployment is resumed', now));
  else return;
  await updateDeploymentStatus(ctx, d);
}

/** A resize: some active ReplicaSet was last scaled for a different spec.replicas than the Deployment's now. */
export async function isScalingEvent(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  return filterActiveReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
    return desired !== undefined && desired !== specReplicas(d);
  });
}
