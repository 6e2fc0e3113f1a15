// Predicates on Jobs and their pods that planning, tracking and per-index backoff share (upstream job_controller.go and indexed_job_utils.go helpers).
import type { Pod } from '../shared/types';
import type { Job } from './conditions';
import { JOB_TRACKING_FINALIZER } from './conditions';

/** True when the pod still carries the tracking finalizer. */
export const hasTrackingFinalizer = (p: Pod) => (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
/** True when the Job runs one pod per index. */
export const isIndexed = (job: Job) => job.spec.completionMode === 'Indexed';
/** True when spec.suspend is set. */
export const isSuspended = (job: Job) => job.spec.suspend === true;
/** upstream hasBackoffLimitPerIndex: failures are counted, and limited, per index. */
export const hasBackoffLimitPerIndex = (job: Job) => job.spec.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null;
/** podReplacementPolicy Failed (implied by a podFailurePolicy): replacements wait until old pods are fully terminated. */
export const onlyReplaceFailedPods = (job: Job) => job.spec.podReplacementPolicy === 'Failed' || !!job.spec.podFailurePolicy;

/** upstream isPodFailed: Failed, or (unless only failed pods are replaced) being deleted before it succeeded. */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded';
}
