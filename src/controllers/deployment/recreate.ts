// Recreate: scale every old ReplicaSet to zero, wait until no old pod runs, then create and scale up the new one.
import type { Pod } from '../shared/types';
import type { Deployment, ReplicaSet } from '../shared/types';
import { specReplicas } from '../shared/types';
import type { SyncContext } from './port';
import { syncRolloutStatus } from './progress';
import { actualReplicaCount } from './replicas';
import { filterActiveReplicaSets } from './replicasets';
import { deploymentComplete } from './status';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync';

/** Pods of the Deployment by the UID of the ReplicaSet controlling them. */
export type PodMap = Map<string, Pod[]>;

/** True while any old ReplicaSet reports replicas or any of its pods is not finished (terminating pods count). */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: PodMap): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')) return true;
  }
  return false;
}

/** Upstream rolloutRecreate. */
export async function rolloutRecreate(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[], podMap: PodMap): Promise<void> {
  // The new ReplicaSet is not created yet, so nothing scales up before the old pods are gone.
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of filterActiveReplicaSets(oldRSs)) scaledDown = (await scaleReplicaSetAndRecordEvent(ctx, rs, 0, d)).scaled || scaledDown;
  if (scaledDown || oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  await scaleReplicaSetAndRecordEvent(ctx, newRS!, specReplicas(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, allRSs, newRS, d);
}
