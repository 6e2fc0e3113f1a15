// Pod state as controllers judge it: active, ready, available (ready for minReadySeconds), restarts.
import type { PodCondition } from 'kubernetes-types/core/v1';
import type { Pod } from './types';

/** Milliseconds of an RFC 3339 timestamp, undefined when absent or unparsable. */
export function parseTime(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The pod's Ready condition, if it has one. */
export function getPodReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return getPodReadyCondition(pod)?.status === 'True';
}

/** Upstream IsPodAvailable: ready, and (with minReadySeconds) ready since strictly before now - minReadySeconds. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = parseTime(getPodReadyCondition(pod)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/** Upstream IsPodActive: not Succeeded, not Failed and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** When the pod became ready (ms), undefined when it is not ready. */
export function podReadyTime(pod: Pod): number | undefined {
  return isPodReady(pod) ? parseTime(getPodReadyCondition(pod)?.lastTransitionTime) : undefined;
}

/** The highest restart count among the pod's containers. */
export function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const s of pod.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  return max;
}

/** "namespace/name" of a pod, the key expectations track deletions by. */
export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}
