// Pod failure backoff of Jobs: 10 s after the first failure, doubling per further failure since the last success, capped at 6 min.
import { parseTime } from '../shared/pod-util';
import type { Pod } from '../shared/types';

/** upstream DefaultJobPodFailureBackOff. */
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
/** upstream MaxJobPodFailureBackOff. */
export const MAX_POD_FAILURE_BACKOFF_MS = 6 * 60_000;

/** upstream getFinishedTime: the last container finish, else the Ready=False transition, else the deletion time, else creation. */
export function finishedTime(pod: Pod): number {
  let last: number | undefined;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    const t = parseTime(s.state?.terminated?.finishedAt);
    if (t !== undefined && (last === undefined || t > last)) last = t;
  }
  if (last !== undefined) return last;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
  return parseTime(ready?.lastTransitionTime) ?? parseTime(pod.metadata.deletionTimestamp) ?? parseTime(pod.metadata.creationTimestamp) ?? 0;
}

/** Failures since the last success and when the last of them happened (upstream backoffRecord, rebuilt from the pods). */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** The backoff record of a job from its finished pods, in the order they finished. */
export function backoffRecord(succeeded: Pod[], failed: Pod[]): BackoffRecord {
  const finished = [...succeeded.map((p) => ({ t: finishedTime(p), ok: true })), ...failed.map((p) => ({ t: finishedTime(p), ok: false }))].sort((a, b) => a.t - b.t);
  const rec: BackoffRecord = { failuresAfterLastSuccess: 0 };
  for (const f of finished) {
    if (f.ok) {
      rec.failuresAfterLastSuccess = 0;
      delete rec.lastFailureTime;
    } else {
      rec.failuresAfterLastSuccess++;
      rec.lastFailureTime = f.t;
    }
  }
  return rec;
}

/** upstream getRemainingTimeForFailuresCount: how long new pods must still wait (0: create now). */
export function remainingBackoff(rec: BackoffRecord, now: number, base = DEFAULT_POD_FAILURE_BACKOFF_MS, max = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (rec.failuresAfterLastSuccess === 0 || rec.lastFailureTime === undefined) return 0;
  const backoff = Math.min(base * 2 ** (rec.failuresAfterLastSuccess - 1), max);
  const elapsed = now - rec.lastFailureTime;
  return elapsed > backoff ? 0 : backoff - elapsed;
}
