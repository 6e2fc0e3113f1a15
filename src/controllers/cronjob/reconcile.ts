// The CronJob controller's decisions as pure functions: active list upkeep, whether a run is due, the Job to create, history cleanup.
import type { CronJobSpec, CronJobStatus, JobSpec, JobStatus } from 'kubernetes-types/batch/v1';
import type { ObjectReference } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { CronSchedule } from '../../api/strategies/cron-schedule';
import { parseCronSchedule } from '../../api/strategies/cron-schedule';
import { rfc3339 } from '../../util/clock';
import { newControllerRef } from '../shared/controller-ref';
import { parseTime } from '../shared/pod-util';
import { isKnownTimeZone, localTimeZone, mostRecentScheduleTime, nextScheduleTime, rfc1123z, rfc3339InZone } from './schedule';

/** A batch/v1 CronJob (concurrencyPolicy, suspend and history limits are set by defaulting). */
export interface CronJob extends KObject {
  spec: CronJobSpec;
  status?: CronJobStatus;
}

/** A batch/v1 Job as the CronJob controller sees it. */
export interface Job extends KObject {
  spec: JobSpec;
  status?: JobStatus;
}

/** The annotation with the scheduled time a Job was created for. */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** batch/v1 CronJob, the kind of the controller refs on its Jobs. */
export const CRONJOB_KIND = { apiVersion: 'batch/v1', kind: 'CronJob' };
// upstream nextScheduleDelta: look again a little after the next activation, never just before it.
const NEXT_SCHEDULE_DELTA_MS = 100;
// Beyond this many missed runs upstream warns that the clock or startingDeadlineSeconds is off.
const TOO_MANY_MISSED = 100;

/** One Event to record on the CronJob. */
export interface CronEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** What a sync should do. */
export interface CronPlan {
  events: CronEvent[];
  /** Active Jobs to delete first (concurrencyPolicy Replace). */
  replace: ObjectReference[];
  /** The Job to create, for `scheduledTime`. */
  create?: Job;
  scheduledTime?: number;
  /** Sync again after this many ms (the next activation). */
  requeueAfterMs?: number;
  /** The status (active list, lastSuccessfulTime) changed. */
  statusChanged: boolean;
}

/** The terminal condition type of a Job ("Complete" or "Failed"), if it finished. */
export function jobFinishedType(job: Job): string | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;
}

/** upstream getTimeHashInMinutes: the scheduled time in minutes since the epoch, the suffix of Job names. */
export function jobName(cj: CronJob, scheduled: number): string {
  return `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;
}

/** A reference to a Job, as status.active holds them. */
export function jobRef(job: Job): ObjectReference {
  return {
    kind: 'Job',
    namespace: job.metadata.namespace,
    name: job.metadata.name,
    uid: job.metadata.uid,
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata.resourceVersion,
  };
}

/** upstream getJobFromTemplate2: the Job of one scheduled time, named after it and annotated with it. */
export function jobFromTemplate(cj: CronJob, scheduled: number): Job {
  const tpl = cj.spec.jobTemplate;
  const annotations = { ...tpl.metadata?.annotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339InZone(scheduled, cj.spec.timeZone ?? 'UTC') };
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj, scheduled),
      namespace: cj.metadata.namespace,
      annotations,
      ownerReferences: [newControllerRef(cj, CRONJOB_KIND)],
    },
    spec: structuredClone(tpl.spec ?? ({} as JobSpec)),
  };
  if (tpl.metadata?.labels) job.metadata.labels = { ...tpl.metadata.labels };
  return job;
}

/**
 * upstream syncCronJob: keeps status.active in line with the child Jobs (dropping finished and missing ones,
 * recording lastSuccessfulTime), then decides whether a run is due: not when deleted, suspended, unparseable, too
 * late for startingDeadlineSeconds, already started, or forbidden by concurrencyPolicy. Edits cj.status.
 */
export function planCronJob(cj: CronJob, children: Job[], missing: Set<string>, now: number): CronPlan {
  const plan: CronPlan = { events: [], replace: [], statusChanged: false };
  const status = (cj.status ??= {});
  const active = (status.active ??= []);
  const isActive = (uid?: string) => active.some((r) => r.uid === uid);
  const drop = (uid?: string) => {
    status.active = (status.active ?? []).filter((r) => r.uid !== uid);
    plan.statusChanged = true;
  };
  for (const j of children) {
    const finished = jobFinishedType(j);
    if (!isActive(j.metadata.uid) && !finished) {
      plan.events.push({ type: 'Warning', reason: 'UnexpectedJob', message: `Saw a job that the controller did not create or forgot: ${j.metadata.name}` });
    } else if (isActive(j.metadata.uid) && finished) {
      drop(j.metadata.uid);
      plan.events.push({ type: 'Normal', reason: 'SawCompletedJob', message: `Saw completed job: ${j.metadata.name}, condition: ${finished}` });
    } else if (finished) {
      const done = parseTime(j.status?.completionTime);
      const last = parseTime(status.lastSuccessfulTime);
      if (done !== undefined && (last === undefined || done > last)) {
        status.lastSuccessfulTime = j.status!.completionTime;
        plan.statusChanged = true;
      }
    }
  }
  for (const ref of [...(status.active ?? [])]) {
    if (!missing.has(ref.uid ?? '')) continue;
    plan.events.push({ type: 'Normal', reason: 'MissingJob', message: `Active job went missing: ${ref.name}` });
    drop(ref.uid);
  }
  if (!status.active?.length) delete status.active;

  if (cj.metadata.deletionTimestamp) return plan;
  const tzName = cj.spec.timeZone;
  if (tzName !== undefined && !isKnownTimeZone(tzName)) {
    plan.events.push({ type: 'Warning', reason: 'UnknownTimeZone', message: `invalid timeZone: "${tzName}": unknown time zone ${tzName}` });
    return plan;
  }
  if (cj.spec.suspend) return plan;
  let sched: CronSchedule;
  try {
    sched = parseCronSchedule(cj.spec.schedule);
  } catch (e) {
    plan.events.push({ type: 'Warning', reason: 'UnparseableSchedule', message: `unparseable schedule: "${cj.spec.schedule}" : ${(e as Error).message}` });
    return plan;
  }
  const tz = tzName ?? localTimeZone();
  const next = nextScheduleTime(sched, now, tz);
  if (next !== undefined) plan.requeueAfterMs = next - now + NEXT_SCHEDULE_DELTA_MS;

  let earliest = parseTime(status.lastScheduleTime) ?? parseTime(cj.metadata.creationTimestamp) ?? now;
  const deadline = cj.spec.startingDeadlineSeconds;
  if (deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
  const recent = mostRecentScheduleTime(sched, earliest, now, tz);
  if (recent.missed > TOO_MANY_MISSED) {
    plan.events.push({
      type: 'Warning',
      reason: 'TooManyMissedTimes',
      message: `too many missed start times: ${recent.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
    });
  }
  const scheduled = recent.time;
  if (scheduled === undefined) return plan;
  if (deadline !== undefined && scheduled + deadline * 1000 < now) {
    plan.events.push({ type: 'Warning', reason: 'MissSchedule', message: `Missed scheduled time to start a job: ${rfc1123z(scheduled)}` });
    return plan;
  }
  const name = jobName(cj, scheduled);
  if ((status.active ?? []).some((r) => r.name === name) || parseTime(status.lastScheduleTime) === scheduled) return plan;
  // Created before, but the status write after it was lost: record it instead of failing on AlreadyExists forever.
  const made = children.find((j) => j.metadata.name === name);
  if (made) {
    if (!jobFinishedType(made)) status.active = [...(status.active ?? []), jobRef(made)];
    status.lastScheduleTime = rfc3339(scheduled);
    plan.statusChanged = true;
    return plan;
  }
  if (cj.spec.concurrencyPolicy === 'Forbid' && status.active?.length) {
    plan.events.push({ type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
    return plan;
  }
  if (cj.spec.concurrencyPolicy === 'Replace') plan.replace = [...(status.active ?? [])];
  plan.create = jobFromTemplate(cj, scheduled);
  plan.scheduledTime = scheduled;
  return plan;
}

/** Records a created Job in the status: active, and lastScheduleTime set to the time it was scheduled for. */
export function recordCreated(cj: CronJob, job: Job, scheduled: number): void {
  const status = (cj.status ??= {});
  status.active = [...(status.active ?? []), jobRef(job)];
  status.lastScheduleTime = rfc3339(scheduled);
}

// upstream byJobStartTime: by start time (unstarted last), then name.
function byStartTime(a: Job, b: Job): number {
  const ta = parseTime(a.status?.startTime);
  const tb = parseTime(b.status?.startTime);
  if (ta === undefined || tb === undefined) return ta === tb ? 0 : ta === undefined ? 1 : -1;
  if (ta !== tb) return ta - tb;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

/** upstream cleanupFinishedJobs: the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
export function jobsToCleanUp(cj: CronJob, children: Job[]): Job[] {
  const out: Job[] = [];
  const limits: [string, number | undefined][] = [
    ['Complete', cj.spec.successfulJobsHistoryLimit],
    ['Failed', cj.spec.failedJobsHistoryLimit],
  ];
  for (const [type, limit] of limits) {
    if (limit === undefined) continue;
    const done = children.filter((j) => jobFinishedType(j) === type && !j.metadata.deletionTimestamp).sort(byStartTime);
    out.push(...done.slice(0, Math.max(done.length - limit, 0)));
  }
  return out;
}
