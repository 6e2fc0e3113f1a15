// Writing rollout status: the Progressing condition moves on or times out, and a stuck rollout is looked at again at its deadline.
import type { Deployment, ReplicaSet } from '../shared/types';
import type { SyncContext } from './port';
import { progressCheckAfter, rolloutStatus, statusEqual } from './status';
import { updateDeploymentStatus } from './sync';

/** Upstream syncRolloutStatus: writes the rollout status, or when nothing changed schedules the deadline check. */
export async function syncRolloutStatus(ctx: SyncContext, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const now = ctx.now();
  const next = rolloutStatus(allRSs, newRS, d, now);
  if (statusEqual(d.status, next)) {
    const after = progressCheckAfter(d, next, now);
    // A second more avoids waking just before the deadline.
    if (after !== undefined) ctx.requeue(d, after === 0 ? 0 : after + 1000);
    return;
  }
  d.status = next;
  await updateDeploymentStatus(ctx, d);
}
