// The Job controller's sync decisions as a pure function: counts, failure and success, pods to delete or create, backoff.
import type { JobCondition } from 'kubernetes-types/batch/v1';
import { rfc3339 } from '../../util/clock';
import { sortForDeletion } from '../shared/pod-ranking';
import { isPodActive, isPodReady, parseTime } from '../shared/pod-util';
import type { Pod } from '../shared/types';
import { backoffRecord, remainingBackoff } from './backoff';
import type { Job } from './conditions';
import {
  BACKOFF_LIMIT_EXCEEDED,
  COMPLETIONS_REACHED,
  DEADLINE_EXCEEDED,
  ensureCondition,
  FAILED_INDEXES,
  findCondition,
  MAX_FAILED_INDEXES_EXCEEDED,
  newCondition,
  POD_FAILURE_POLICY_REASON,
} from './conditions';
import { matchPodFailurePolicy } from './failure-policy';
import { completionIndex, firstPendingIndexes, parseIndexes } from './indexes';
import { hasBackoffLimitPerIndex, hasTrackingFinalizer, isIndexed, isPodFailed, isSuspended, onlyReplaceFailedPods } from './job-util';
import { calculateFailedIndexes, indexesReadyToCreate, podsWithDelayedDeletion } from './per-index';

/** upstream MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** upstream syncJobBatchPeriod: the shortest delay before a requeued sync. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;

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
  /** Jobs with backoffLimitPerIndex: status.failedIndexes with this sync's failed indexes. */
  failedIndexes?: Set<number>;
  /** Jobs with backoffLimitPerIndex: per index to retry, the failed pod kept until its replacement exists. */
  podsWithDelayedDeletion: Map<number, Pod>;
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
    podsWithDelayedDeletion: new Map<number, Pod>(),
  };
  const newSucceeded = newlyFinished(base, base.uncountedSucceeded, (p) => p.status?.phase === 'Succeeded');
  const newFailed = newlyFinished(base, base.uncountedFailed, (p) => isPodFailed(p, job));
  const ctx: JobContext & { newSucceeded: Pod[]; newFailed: Pod[] } = {
    ...base,
    newSucceeded,
    newFailed,
    succeeded: (status.succeeded ?? 0) + newSucceeded.length + base.uncountedSucceeded.size,
    failed: (status.failed ?? 0) + nonIgnoredFailedCount(job, newFailed) + base.uncountedFailed.size,
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
    if (hasBackoffLimitPerIndex(job)) {
      const failedIndexes = calculateFailedIndexes(job, pods);
      ctx.failedIndexes = failedIndexes;
      ctx.podsWithDelayedDeletion = podsWithDelayedDeletion(job, pods, activePods, ctx.succeededIndexes, failedIndexes, expectedRmFinalizers);
    }
  }
  return ctx;
}

/** upstream nonIgnoredFailedPodsCount: failed pods less those an Ignore rule excuses. */
export function nonIgnoredFailedCount(job: Job, failed: Pod[]): number {
  if (!job.spec.podFailurePolicy) return failed.length;
  return failed.filter((p) => matchPodFailurePolicy(job.spec.podFailurePolicy, p).countFailed).length;
}

/** upstream getFailJobMessage: the message of the first failed pod that matches a FailJob rule. */
export function failJobMessage(job: Job, pods: Pod[]): string | undefined {
  if (!job.spec.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p);
    if (m.failJobMessage !== undefined) return m.failJobMessage;
  }
  return undefined;
}

/** upstream's backoffLimitPerIndex checks: too many failed indexes, or every index done with some failed. */
function failedIndexesCondition(ctx: JobContext): JobCondition | undefined {
  const failed = ctx.failedIndexes;
  if (!failed) return undefined;
  const max = ctx.job.spec.maxFailedIndexes;
  if (max !== undefined && max !== null && failed.size > max) return newCondition('FailureTarget', 'True', MAX_FAILED_INDEXES_EXCEEDED.reason, MAX_FAILED_INDEXES_EXCEEDED.message, ctx.now);
  if (failed.size > 0 && failed.size + ctx.succeededIndexes.size >= (ctx.job.spec.completions ?? 0))
    return newCondition('FailureTarget', 'True', FAILED_INDEXES.reason, FAILED_INDEXES.message, ctx.now);
  return undefined;
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
    else {
      // The interim FailureTarget records the policy's message before the pods' finalizers go.
      const message = failJobMessage(job, ctx.pods);
      if (message !== undefined) finished = newCondition('FailureTarget', 'True', POD_FAILURE_POLICY_REASON, message, now);
    }
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
  finished ??= failedIndexesCondition(ctx);
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
  if (!hasBackoffLimitPerIndex(job) && !globalBackoffPassed(ctx, plan)) return;
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (isIndexed(job)) {
    const taken = new Set([...ctx.activePods.map(completionIndex), ...(ctx.failedIndexes ?? [])]);
    if (onlyReplaceFailedPods(job)) for (const p of ctx.pods) if (p.metadata.deletionTimestamp && isPodActiveOrTerminating(p)) taken.add(completionIndex(p));
    plan.create = firstPendingIndexes(diff, job.spec.completions ?? 0, ctx.succeededIndexes, taken);
    if (hasBackoffLimitPerIndex(job)) {
      const ready = indexesReadyToCreate(plan.create as number[], ctx.podsWithDelayedDeletion, now);
      plan.create = ready.create;
      if (ready.waitMs > 0) plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, Math.max(ready.waitMs, SYNC_JOB_BATCH_PERIOD_MS));
    }
  } else plan.create = new Array(diff).fill(undefined);
  plan.active = active + plan.create.length;
}

/** Whether the Job-wide failure backoff has passed; when not, the plan requeues for when it will. */
function globalBackoffPassed(ctx: JobContext, plan: JobPlan): boolean {
  const { job, now } = ctx;
  // Finished pods of this Job, counted or not, tell when the last failure was.
  const finishedPods = ctx.pods.filter((p) => p.status?.phase === 'Succeeded' || isPodFailed(p, job));
  const remaining = remainingBackoff(
    backoffRecord(
      finishedPods.filter((p) => p.status?.phase === 'Succeeded'),
      finishedPods.filter((p) => p.status?.phase !== 'Succeeded'),
    ),
    now,
  );
  if (remaining <= 0) return true;
  plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, Math.max(remaining, SYNC_JOB_BATCH_PERIOD_MS));
  return false;
}

const isPodActiveOrTerminating = (p: Pod) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

