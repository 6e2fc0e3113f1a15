// The Job controller's sync decisions as a pure function: counts, failure and success, pods to delete or create, backoff.
import type { JobCondition } from 'kubernetes-types/batch/v1';
import { rfc3339 } from '../../util/clock';
import { sortForDeletion } from '../shared/pod-ranking';
import { isPodActive, isPodReady, parseTime } from '../shared/pod-util';
import type { Pod } from '../shared/types';
import { backoffRecord, remainingBackoff } from './backoff';
import type { Job } from './conditions';
import { BACKOFF_LIMIT_EXCEEDED, COMPLETIONS_REACHED, DEADLINE_EXCEEDED, ensureCondition, findCondition, JOB_TRACKING_FINALIZER, newCondition } from './conditions';
import { completionIndex, firstPendingIndexes, parseIndexes } from './indexes';

/** upstream MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** upstream syncJobBatchPeriod: the shortest delay before a requeued sync. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;

/** True when the pod still carries the tracking finalizer. */
export const hasTrackingFinalizer = (p: Pod) => (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
/** True when the Job runs one pod per index. */
export const isIndexed = (job: Job) => job.spec.completionMode === 'Indexed';
/** True when spec.suspend is set. */
export const isSuspended = (job: Job) => job.spec.suspend === true;
// podReplacementPolicy Failed (implied by a podFailurePolicy): replacements wait until old pods are fully terminated.
const onlyReplaceFailedPods = (job: Job) => job.spec.podReplacementPolicy === 'Failed' || !!job.spec.podFailurePolicy;

/** upstream isPodFailed: Failed, or (unless only failed pods are replaced) being deleted before it succeeded. */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

/** upstream CountTerminatingPods: being deleted and not finished. */
export function countTerminating(pods: Pod[]): number {
  return pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
}

/** What a sync observed and derived, shared by planning and tracking (upstream syncJobCtx). */
export interface JobContext {
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  now: number;
  /** UIDs of pods whose finalizer removal is awaited. */
  expectedRmFinalizers: Set<string>;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  succeeded: number;
  failed: number;
  ready: number;
  terminating: number;
  /** Indexed Jobs: indexes counted before this sync, and with this sync's succeeded pods. */
  prevSucceededIndexes: Set<number>;
  succeededIndexes: Set<number>;
  finishedCondition?: JobCondition;
}

/** upstream getValidPodsWithFilter: finished pods not yet counted (finalizer on, not uncounted, valid index). */
function newlyFinished(ctx: Omit<JobContext, 'succeeded' | 'failed'>, uncounted: Set<string>, filter: (p: Pod) => boolean): Pod[] {
  const completions = ctx.job.spec.completions ?? 0;
  return ctx.pods.filter((p) => {
    const uid = p.metadata.uid ?? '';
    if (!hasTrackingFinalizer(p) || uncounted.has(uid) || ctx.expectedRmFinalizers.has(uid)) return false;
    if (isIndexed(ctx.job)) {
      const ix = completionIndex(p);
      if (ix < 0 || ix >= completions) return false;
    }
    return filter(p);
  });
}

/** Builds the context of one sync; `job` is a private copy whose status the sync edits. */
export function buildContext(job: Job, pods: Pod[], now: number, expectedRmFinalizers: Set<string>): JobContext & { newSucceeded: Pod[]; newFailed: Pod[] } {
  const status = (job.status ??= {});
  status.uncountedTerminatedPods ??= {};
  const activePods = pods.filter(isPodActive);
  const base = {
    job,
    pods,
    activePods,
    now,
    expectedRmFinalizers,
    uncountedSucceeded: new Set(status.uncountedTerminatedPods.succeeded ?? []),
    uncountedFailed: new Set(status.uncountedTerminatedPods.failed ?? []),
    ready: activePods.filter(isPodReady).length,
    terminating: countTerminating(pods),
    prevSucceededIndexes: new Set<number>(),
    succeededIndexes: new Set<number>(),
  };
  const newSucceeded = newlyFinished(base, base.uncountedSucceeded, (p) => p.status?.phase === 'Succeeded');
  const newFailed = newlyFinished(base, base.uncountedFailed, (p) => isPodFailed(p, job));
  const ctx = {
    ...base,
    newSucceeded,
    newFailed,
    succeeded: (status.succeeded ?? 0) + newSucceeded.length + base.uncountedSucceeded.size,
    failed: (status.failed ?? 0) + newFailed.length + base.uncountedFailed.size,
  };
  if (isIndexed(job)) {
    const completions = job.spec.completions ?? 0;
    ctx.prevSucceededIndexes = parseIndexes(status.completedIndexes, completions);
    ctx.succeededIndexes = new Set(ctx.prevSucceededIndexes);
    for (const p of pods) {
      const ix = completionIndex(p);
      if (p.status?.phase === 'Succeeded' && ix >= 0 && ix < completions && hasTrackingFinalizer(p)) ctx.succeededIndexes.add(ix);
    }
    ctx.succeeded = ctx.succeededIndexes.size;
  }
  return ctx;
}

/** upstream pastBackoffLimitOnFailure: restartPolicy OnFailure counts container restarts of running pods against backoffLimit. */
export function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if (job.spec.template.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** upstream pastActiveDeadline: started, not suspended, and active for activeDeadlineSeconds. */
export function pastActiveDeadline(job: Job, now: number): boolean {
  const ads = job.spec.activeDeadlineSeconds;
  const start = parseTime(job.status?.startTime);
  if (ads === undefined || start === undefined || isSuspended(job)) return false;
  return now - start >= ads * 1000;
}

/**
 * upstream activePodsForRemoval: for Indexed Jobs first the pods with a bad or repeated index (keeping the best of
 * each index), then the least valuable active pods until `atLeast` are chosen.
 */
export function activePodsForRemoval(job: Job, active: Pod[], atLeast: number, now: number): Pod[] {
  const rank = (pods: Pod[]) => sortForDeletion(pods.map((pod) => ({ pod, rank: 0 })), now).map((r) => r.pod);
  const rm: Pod[] = [];
  let left = active;
  if (isIndexed(job)) {
    left = [];
    const completions = job.spec.completions ?? 0;
    const byIndex = new Map<number, Pod[]>();
    for (const p of active) {
      const ix = completionIndex(p);
      if (ix < 0 || ix >= completions) rm.push(p);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
    }
    for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
      const same = rank(byIndex.get(ix)!);
      rm.push(...same.slice(0, -1));
      left.push(same[same.length - 1]);
    }
  }
  if (rm.length < atLeast) rm.push(...rank(left).slice(0, atLeast - rm.length));
  return rm;
}

/** What one sync should do before tracking pod completions. */
export interface JobPlan {
  /** Active pods to delete; `keepFinalizers` when the Job is failing (they are counted once they stop). */
  deletePods: Pod[];
  keepFinalizers: boolean;
  /** Pods to create: one entry per pod, the completion index for Indexed Jobs. */
  create: (number | undefined)[];
  /** Active pods after the deletes and creates (if they all succeed). */
  active: number;
  /** Sync again after this many ms (backoff, activeDeadlineSeconds). */
  requeueAfterMs?: number;
  /** Events to record on the Job. */
  events: { type: 'Normal' | 'Warning'; reason: string; message: string }[];
  /** Status fields changed beyond the pod counts (startTime, suspension). */
  statusChanged: boolean;
  /** The finish to enact once every pod is counted (cleared when the deletes it needs fail). */
  finishedCondition?: JobCondition;
  /** Set when finishing depends on every active pod being deleted. */
  finishNeedsAllDeleted: boolean;
}

/**
 * upstream syncJob up to trackJobStatusAndRemoveFinalizers: sets startTime, decides whether the Job failed
 * (backoffLimit, activeDeadlineSeconds) or met its completions, and otherwise what manageJob creates or deletes.
 * Edits ctx.job.status (startTime, Suspended condition).
 */
export function planJob(ctx: JobContext & { newSucceeded: Pod[]; newFailed: Pod[] }, satisfiedExpectations: boolean): JobPlan {
  const { job, now } = ctx;
  const status = job.status!;
  const plan: JobPlan = { deletePods: [], keepFinalizers: false, create: [], active: ctx.activePods.length, events: [], statusChanged: false, finishNeedsAllDeleted: false };
  if (!status.startTime && !isSuspended(job)) {
    status.startTime = rfc3339(now);
    plan.statusChanged = true;
  }
  let finished = findCondition(job, 'SuccessCriteriaMet')?.status === 'True' ? findCondition(job, 'SuccessCriteriaMet') : undefined;
  if (!finished) {
    const target = findCondition(job, 'FailureTarget');
    if (target?.status === 'True') finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
  }
  if (!finished) {
    if (ctx.failed > (job.spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, ctx.pods)) {
      finished = newCondition('FailureTarget', 'True', BACKOFF_LIMIT_EXCEEDED.reason, BACKOFF_LIMIT_EXCEEDED.message, now);
    } else if (pastActiveDeadline(job, now)) {
      finished = newCondition('FailureTarget', 'True', DEADLINE_EXCEEDED.reason, DEADLINE_EXCEEDED.message, now);
    } else if (job.spec.activeDeadlineSeconds !== undefined && !isSuspended(job) && status.startTime) {
      plan.requeueAfterMs = job.spec.activeDeadlineSeconds * 1000 - (now - Date.parse(status.startTime));
    }
  }
  if (finished) {
    // A finishing Job stops its active pods; their finalizers stay until they are counted.
    plan.deletePods = [...ctx.activePods];
    plan.keepFinalizers = true;
    plan.active = 0;
    plan.finishNeedsAllDeleted = true;
    plan.finishedCondition = satisfiedExpectations ? finished : undefined;
    return plan;
  }
  let manageCalled = false;
  if (satisfiedExpectations && !job.metadata.deletionTimestamp) {
    manageJob(ctx, plan);
    manageCalled = true;
  }
  const completions = job.spec.completions;
  const complete = completions === undefined ? ctx.succeeded > 0 && plan.active === 0 : ctx.succeeded >= completions && plan.active === 0;
  if (complete) {
    plan.finishedCondition = newCondition('SuccessCriteriaMet', 'True', COMPLETIONS_REACHED.reason, COMPLETIONS_REACHED.message, now);
  } else if (manageCalled) {
    if (isSuspended(job)) {
      if (ensureCondition(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
        plan.statusChanged = true;
        plan.events.push({ type: 'Normal', reason: 'Suspended', message: 'Job suspended' });
      }
    } else if (ensureCondition(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
      plan.statusChanged = true;
      plan.events.push({ type: 'Normal', reason: 'Resumed', message: 'Job resumed' });
      // activeDeadlineSeconds counts continuous activity: a resumed Job starts its clock again.
      status.startTime = rfc3339(now);
    }
  }
  return plan;
}

/** upstream manageJob: deletes surplus pods (all of a suspended Job) or creates missing ones after the failure backoff. */
function manageJob(ctx: JobContext & { newSucceeded: Pod[]; newFailed: Pod[] }, plan: JobPlan): void {
  const { job, now } = ctx;
  const active = ctx.activePods.length;
  if (isSuspended(job)) {
    plan.deletePods = activePodsForRemoval(job, ctx.activePods, active, now);
    plan.active = active - plan.deletePods.length;
    return;
  }
  const parallelism = job.spec.parallelism ?? 1;
  let want: number;
  if (job.spec.completions === undefined) want = ctx.succeeded > 0 ? active : parallelism;
  else want = Math.max(Math.min(job.spec.completions - ctx.succeeded, parallelism), 0);
  const toDelete = activePodsForRemoval(job, ctx.activePods, Math.max(active - want, 0), now).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (toDelete.length) {
    plan.deletePods = toDelete;
    plan.active = active - toDelete.length;
    return;
  }
  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  let diff = want - terminating - active;
  if (diff <= 0) return;
  // Finished pods of this Job, counted or not, tell when the last failure was.
  const finishedPods = ctx.pods.filter((p) => p.status?.phase === 'Succeeded' || isPodFailed(p, job));
  const remaining = remainingBackoff(
    backoffRecord(
      finishedPods.filter((p) => p.status?.phase === 'Succeeded'),
      finishedPods.filter((p) => p.status?.phase !== 'Succeeded'),
    ),
    now,
  );
  if (remaining > 0) {
    plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, Math.max(remaining, SYNC_JOB_BATCH_PERIOD_MS));
    return;
  }
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (isIndexed(job)) {
    const taken = new Set(ctx.activePods.map(completionIndex));
    if (onlyReplaceFailedPods(job)) for (const p of ctx.pods) if (p.metadata.deletionTimestamp && isPodActiveOrTerminating(p)) taken.add(completionIndex(p));
    plan.create = firstPendingIndexes(diff, job.spec.completions ?? 0, ctx.succeededIndexes, taken);
  } else plan.create = new Array(diff).fill(undefined);
  plan.active = active + plan.create.length;
}

const isPodActiveOrTerminating = (p: Pod) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

