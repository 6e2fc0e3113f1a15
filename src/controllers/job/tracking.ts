// Counting finished pods with the job-tracking finalizer: record them as uncounted, remove finalizers, then move them into the counters.
import type { JobCondition, JobStatus } from 'kubernetes-types/batch/v1';
import type { Pod } from '../shared/types';
import { findCondition, newCondition } from './conditions';
import { matchPodFailurePolicy } from './failure-policy';
import { completionIndex, formatIndexes } from './indexes';
import type { JobContext } from './plan';
import { hasTrackingFinalizer, isIndexed, isPodFailed } from './job-util';

/** upstream MaxUncountedPods: at most this many pods are carried in uncountedTerminatedPods at once. */
export const MAX_UNCOUNTED_PODS = 500;

/** The first step's outcome. */
export interface Tracking {
  /** Pods whose finalizer goes now (they are counted, or the Job is finishing). */
  podsToRemoveFinalizer: Pod[];
  /** UIDs of pods that still carry the finalizer (and are not awaited to lose it). */
  uidsWithFinalizer: Set<string>;
  /** The terminal condition to add once every pod is counted (Complete or Failed). */
  finishedCondition?: JobCondition;
  /** The status must be written before finalizers are removed. */
  needsFlush: boolean;
  /** Stopped early at MAX_UNCOUNTED_PODS: the Job is not finished this sync. */
  reachedMax: boolean;
}

/**
 * upstream cleanUncountedPodsWithoutFinalizers: uncounted pods whose finalizer is gone are added to succeeded/failed.
 * Returns whether the status changed.
 */
export function cleanUncounted(status: JobStatus, uidsWithFinalizer: Set<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  for (const kind of ['succeeded', 'failed'] as const) {
    const before = u[kind] ?? [];
    const after = before.filter((uid) => uidsWithFinalizer.has(uid));
    if (after.length === before.length) continue;
    changed = true;
    status[kind] = (status[kind] ?? 0) + before.length - after.length;
    if (after.length) u[kind] = after;
    else delete u[kind];
  }
  return changed;
}

const isSuccessCriteriaMet = (c: JobCondition | undefined) => c?.type === 'SuccessCriteriaMet';

/**
 * upstream trackJobStatusAndRemoveFinalizers, first part (edits ctx.job.status): finished pods go into
 * uncountedTerminatedPods (succeeded indexes straight into completedIndexes), the interim FailureTarget or
 * SuccessCriteriaMet condition is added, and the final Failed or Complete condition is prepared.
 */
export function trackPods(ctx: JobContext, needsFlush: boolean): Tracking {
  const { job, now } = ctx;
  const status = job.status!;
  const uncounted = (status.uncountedTerminatedPods ??= {});
  const indexed = isIndexed(job);
  const completions = job.spec.completions ?? 0;
  const pods = indexed ? [...ctx.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : ctx.pods;
  const uidsWithFinalizer = new Set(pods.filter((p) => hasTrackingFinalizer(p) && !ctx.expectedRmFinalizers.has(p.metadata.uid!)).map((p) => p.metadata.uid!));
  if (cleanUncounted(status, uidsWithFinalizer)) needsFlush = true;
  let finished = ctx.finishedCondition;
  const podsToRemoveFinalizer: Pod[] = [];
  const newSucceededIndexes: number[] = [];
  let reachedMax = false;
  for (const pod of pods) {
    const uid = pod.metadata.uid!;
    if (!hasTrackingFinalizer(pod) || ctx.expectedRmFinalizers.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(ctx, finished, pod, failed)) continue;
    podsToRemoveFinalizer.push(pod);
    if (pod.status?.phase === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
      if (indexed) {
        const ix = completionIndex(pod);
        if (ix >= 0 && ix < completions && !ctx.prevSucceededIndexes.has(ix)) {
          newSucceededIndexes.push(ix);
          needsFlush = true;
        }
      } else if (!ctx.uncountedSucceeded.has(uid)) {
        (uncounted.succeeded ??= []).push(uid);
        needsFlush = true;
      }
    } else if (failed || (finished && !isSuccessCriteriaMet(finished))) {
      // A finishing (failing) Job counts every pod it stops as failed.
      const ix = completionIndex(pod);
      // A failure an Ignore rule excuses loses its finalizer without being counted.
      if (!ctx.uncountedFailed.has(uid) && (!indexed || (ix >= 0 && ix < completions)) && matchPodFailurePolicy(job.spec.podFailurePolicy, pod).countFailed) {
        (uncounted.failed ??= []).push(uid);
        needsFlush = true;
      }
    }
    if (newSucceededIndexes.length + (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) >= MAX_UNCOUNTED_PODS) {
      reachedMax = true;
      break;
    }
  }
  if (indexed) {
    const all = new Set([...ctx.succeededIndexes, ...newSucceededIndexes]);
    const text = formatIndexes(all);
    if (text !== (status.completedIndexes ?? '')) needsFlush = true;
    status.succeeded = all.size;
    if (text) status.completedIndexes = text;
    else delete status.completedIndexes;
    // Jobs with backoffLimitPerIndex always show failedIndexes, empty or not.
    const failedText = ctx.failedIndexes ? formatIndexes(ctx.failedIndexes) : undefined;
    if (failedText !== (status.failedIndexes ?? undefined)) {
      needsFlush = true;
      if (failedText === undefined) delete status.failedIndexes;
      else status.failedIndexes = failedText;
    }
  }
  if (finished?.type === 'FailureTarget') {
    (status.conditions ??= []).push(finished);
    needsFlush = true;
    finished = newCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', now);
  }
  if (isSuccessCriteriaMet(finished)) {
    if (findCondition(job, 'SuccessCriteriaMet')?.status !== 'True') {
      (status.conditions ??= []).push(finished!);
      needsFlush = true;
    }
    finished = newCondition('Complete', 'True', finished!.reason ?? '', finished!.message ?? '', now);
  }
  return { podsToRemoveFinalizer, uidsWithFinalizer, finishedCondition: finished, needsFlush, reachedMax };
}

/**
 * upstream canRemoveFinalizer: when the Job is going away or finishing, the pod succeeded, or it failed (unless, with
 * backoffLimitPerIndex, it is the failed pod of an index kept until its replacement carries its failure count).
 */
function canRemoveFinalizer(ctx: JobContext, finished: JobCondition | undefined, pod: Pod, failed: boolean): boolean {
  if (ctx.job.metadata.deletionTimestamp || finished || pod.status?.phase === 'Succeeded') return true;
  if (!failed) return false;
  return ctx.podsWithDelayedDeletion.get(completionIndex(pod))?.metadata.uid !== pod.metadata.uid;
}

/**
 * upstream enactJobFinished: once no pod is left uncounted or terminating, the terminal condition is set (and
 * completionTime for Complete). Returns whether the Job finished now.
 */
export function enactJobFinished(status: JobStatus, finished: JobCondition | undefined, terminating: number, now: number): boolean {
  if (!finished) return false;
  const u = status.uncountedTerminatedPods;
  if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
  if (terminating > 0) return false;
  const list = (status.conditions ??= []);
  const i = list.findIndex((c) => c.type === finished.type);
  const cond = newCondition(finished.type, 'True', finished.reason ?? '', finished.message ?? '', now);
  if (i >= 0) list[i] = cond;
  else list.push(cond);
  if (finished.type === 'Complete') status.completionTime = cond.lastTransitionTime;
  return true;
}
