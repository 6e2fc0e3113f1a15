// RollingUpdate: scale the new ReplicaSet up within maxSurge, then old ones down within maxUnavailable, one step per sync.
import type { Deployment, ReplicaSet } from '../shared/types';
import { specReplicas } from '../shared/types';
import type { SyncContext } from './port';
import { syncRolloutStatus } from './progress';
import { newRSNewReplicas, oldReplicaSetsScaleDown } from './replicas';
import { filterActiveReplicaSets } from './replicasets';
import { deploymentComplete } from './status';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync';

/** Upstream rolloutRolling. */
export async function rolloutRolling(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  const rs = newRS!;
  const allRSs = [...oldRSs, rs];
  if ((await reconcileNewReplicaSet(ctx, allRSs, rs, d)) || (await reconcileOldReplicaSets(ctx, allRSs, filterActiveReplicaSets(oldRSs), rs, d))) {
    return syncRolloutStatus(ctx, allRSs, rs, d);
  }
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, allRSs, rs, d);
}

/** Scales the new ReplicaSet toward spec.replicas as far as maxSurge allows (or down, if it is too big). */
async function reconcileNewReplicaSet(ctx: SyncContext, allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  const want = specReplicas(d);
  if (specReplicas(newRS) === want) return false;
  const target = specReplicas(newRS) > want ? want : newRSNewReplicas(d, allRSs, newRS);
  return (await scaleReplicaSetAndRecordEvent(ctx, newRS, target, d)).scaled;
}

/** Scales old ReplicaSets down as far as maxUnavailable allows, unhealthy replicas first. */
async function reconcileOldReplicaSets(ctx: SyncContext, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  // A ReplicaSet scaled twice in one sync is written the second time from the first write's result.
  const latest = new Map<ReplicaSet, ReplicaSet>();
  let scaled = false;
  for (const step of oldReplicaSetsScaleDown(d, allRSs, oldRSs, newRS)) {
    const res = await scaleReplicaSetAndRecordEvent(ctx, latest.get(step.rs) ?? step.rs, step.size, d);
    latest.set(step.rs, res.rs);
    scaled ||= res.scaled;
  }
  return scaled;
}
