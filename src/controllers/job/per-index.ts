// backoffLimitPerIndex (upstream indexed_job_utils.go): failure counts carried from pod to pod in annotations, failed indexes, per-index backoff.
import type { Pod } from '../shared/types';
import { finishedTime, remainingBackoff } from './backoff';
import type { Job } from './conditions';
import { matchPodFailurePolicy } from './failure-policy';
import { completionIndex, parseIndexes } from './indexes';
import { hasTrackingFinalizer, isPodFailed } from './job-util';

/** On a pod of an index: how many earlier pods of the index failed (counted against backoffLimitPerIndex). */
export const JOB_INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
/** On a pod of an index: how many earlier pods of the index failed in ways an Ignore rule excused. */
export const JOB_INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';

// upstream parseInt32: anything unparsable, negative or beyond int32 counts as 0 (the annotation is user-writable).
function annotationCount(pod: Pod, key: string): number {
  const v = pod.metadata.annotations?.[key];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  const n = Number(v);
  return n > 2 ** 31 - 1 ? 0 : n;
}

/** upstream getIndexFailureCount. */
export const indexFailureCount = (pod: Pod) => annotationCount(pod, JOB_INDEX_FAILURE_COUNT);
/** upstream getIndexAbsoluteFailureCount: counted and ignored failures together. */
export const indexAbsoluteFailureCount = (pod: Pod) => annotationCount(pod, JOB_INDEX_FAILURE_COUNT) + annotationCount(pod, JOB_INDEX_IGNORED_FAILURE_COUNT);

/** upstream isIndexFailed: the pod's failure fails its index (a FailIndex rule, or a counted failure with the index's budget spent). */
export function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  const m = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
  if (m.action === 'FailIndex') return true;
  return m.countFailed && indexFailureCount(pod) >= (job.spec.backoffLimitPerIndex ?? 0);
}

const validIndex = (pod: Pod, completions: number) => {
  const ix = completionIndex(pod);
  return ix >= 0 && ix < completions ? ix : -1;
};

/** upstream calculateFailedIndexes: status.failedIndexes plus the indexes failed by pods not yet counted. */
export function calculateFailedIndexes(job: Job, pods: Pod[]): Set<number> {
  const completions = job.spec.completions ?? 0;
  const out = parseIndexes(job.status?.failedIndexes ?? undefined, completions);
  for (const p of pods) {
    const ix = validIndex(p, completions);
    if (ix >= 0 && hasTrackingFinalizer(p) && isIndexFailed(job, p)) out.add(ix);
  }
  return out;
}

/**
 * upstream getPodsWithDelayedDeletionPerIndex: per index still to be retried (neither succeeded, failed nor active),
 * the latest failed pod, kept (finalizer on) until its replacement carries its failure count forward.
 */
export function podsWithDelayedDeletion(
  job: Job,
  pods: Pod[],
  active: Pod[],
  succeeded: Set<number>,
  failed: Set<number>,
  expectedRmFinalizers: Set<string>,
): Map<number, Pod> {
  const completions = job.spec.completions ?? 0;
  const activeIndexes = new Set(active.map(completionIndex));
  const out = new Map<number, Pod>();
  for (const p of pods) {
    if (!hasTrackingFinalizer(p) || expectedRmFinalizers.has(p.metadata.uid ?? '') || !isPodFailed(p, job)) continue;
    const ix = validIndex(p, completions);
    if (ix < 0 || succeeded.has(ix) || failed.has(ix) || activeIndexes.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (indexAbsoluteFailureCount(last) <= indexAbsoluteFailureCount(p) && finishedTime(p) >= finishedTime(last))) out.set(ix, p);
  }
  return out;
}

/** upstream addIndexFailureCountAnnotation: the failure counts for the pod replacing `replaced` (0 for an index's first pod). */
export function indexFailureAnnotations(job: Job, replaced: Pod | undefined): Record<string, string> {
  let count = 0;
  let ignored = 0;
  if (replaced) {
    count = indexFailureCount(replaced);
    ignored = annotationCount(replaced, JOB_INDEX_IGNORED_FAILURE_COUNT);
    if (matchPodFailurePolicy(job.spec.podFailurePolicy, replaced).countFailed) count++;
    else ignored++;
  }
  return { [JOB_INDEX_FAILURE_COUNT]: String(count), ...(ignored > 0 ? { [JOB_INDEX_IGNORED_FAILURE_COUNT]: String(ignored) } : {}) };
}

/**
 * upstream getPodCreationInfoForIndependentIndexes: the indexes whose own backoff (2^(failures) × 10 s after their
 * last failure) has passed; when none has, how long until the first one does.
 */
export function indexesReadyToCreate(indexes: number[], delayed: Map<number, Pod>, now: number): { create: number[]; waitMs: number } {
  const create: number[] = [];
  let waitMs = Infinity;
  for (const ix of indexes) {
    const last = delayed.get(ix);
    const remaining = last ? remainingBackoff({ failuresAfterLastSuccess: indexAbsoluteFailureCount(last) + 1, lastFailureTime: finishedTime(last) }, now) : 0;
    if (remaining === 0) create.push(ix);
    else waitMs = Math.min(waitMs, remaining);
  }
  return create.length ? { create, waitMs: 0 } : { create, waitMs: waitMs === Infinity ? 0 : waitMs };
}
