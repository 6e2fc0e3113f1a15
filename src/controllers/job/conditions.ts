// Job conditions as 1.32 writes them: interim SuccessCriteriaMet/FailureTarget, terminal Complete/Failed, Suspended.
import type { JobCondition, JobSpec, JobStatus } from 'kubernetes-types/batch/v1';
import type { KObject } from '../../api/types';
import { rfc3339 } from '../../util/clock';

/** A batch/v1 Job (spec.parallelism, backoffLimit and completionMode are set by defaulting). */
export interface Job extends KObject {
  spec: JobSpec;
  status?: JobStatus;
}

/** The finalizer that keeps a finished pod until the Job controller counted it. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

/** The reason and message of a Job that reached its completions (JobSuccessPolicy, on in 1.31+). */
export const COMPLETIONS_REACHED = { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
/** A Job whose failed pods exceed backoffLimit. */
export const BACKOFF_LIMIT_EXCEEDED = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
/** A Job active longer than activeDeadlineSeconds. */
export const DEADLINE_EXCEEDED = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };

/** The reason of a Job failed by a podFailurePolicy FailJob rule (the message names the pod and the rule). */
export const POD_FAILURE_POLICY_REASON = 'PodFailurePolicy';
/** An Indexed Job with more failed indexes than maxFailedIndexes. */
export const MAX_FAILED_INDEXES_EXCEEDED = { reason: 'MaxFailedIndexesExceeded', message: 'Job has exceeded the specified maximal number of failed indexes' };
/** An Indexed Job whose every index finished, some of them failed (backoffLimitPerIndex). */
export const FAILED_INDEXES = { reason: 'FailedIndexes', message: 'Job has failed indexes' };

/** upstream newCondition. */
export function newCondition(type: string, status: 'True' | 'False', reason: string, message: string, now: number): JobCondition {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

/** The first condition of `type`, if any. */
export function findCondition(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

/** upstream IsJobFinished: a Complete or Failed condition that is True. */
export function isJobFinished(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** The terminal condition and when it was reached, for finished Jobs. */
export function finishedCondition(job: Job): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/**
 * upstream ensureJobConditionStatus: updates the condition of `type` when its status, reason or message differ, or
 * appends it (never appending a False one). Returns whether anything changed.
 */
export function ensureCondition(status: JobStatus, type: string, s: 'True' | 'False', reason: string, message: string, now: number): boolean {
  const list = (status.conditions ??= []);
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i];
    if (c.status === s && c.reason === reason && c.message === message) return false;
    list[i] = newCondition(type, s, reason, message, now);
    return true;
  }
  if (s === 'False') {
    if (!list.length) delete status.conditions;
    return false;
  }
  list.push(newCondition(type, s, reason, message, now));
  return true;
}
