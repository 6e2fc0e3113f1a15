// Pure: whether and when a pod leaves a node with NoExecute taints, from its tolerations (upstream tainteviction).
import type { Taint, Toleration } from 'kubernetes-types/core/v1';

/** upstream Toleration.ToleratesTaint: effect and key match (empty matches all), then Equal on value or Exists. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  return op === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

/** upstream GetMatchingTolerations: whether every taint is tolerated, and the first toleration used for each. */
export function matchingTolerations(taints: Taint[], tolerations: Toleration[] | undefined): { allTolerated: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((x) => toleratesTaint(x, taint));
    if (!t) return { allTolerated: false, used: [] };
    used.push(t);
  }
  return { allTolerated: true, used };
}

/** The shortest tolerationSeconds in ms: 0 with no tolerations or a non-positive one, -1 when all tolerate forever. */
export function minTolerationMs(used: Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

/** What to do about one pod on a node: forget any scheduled eviction, or evict at `fireAt` (counted from `createdAt`). */
export type EvictionDecision = { action: 'cancel' } | { action: 'schedule'; createdAt: number; fireAt: number };

/**
 * processPodOnNode: untolerated taints evict now; tolerated ones after the shortest tolerationSeconds, counted from when
 * the eviction was first scheduled (`scheduledAt`), so repeated node updates do not push it back.
 */
export function evictionDecision(noExecuteTaints: Taint[], tolerations: Toleration[] | undefined, now: number, scheduledAt?: number): EvictionDecision {
  if (noExecuteTaints.length === 0) return { action: 'cancel' };
  const { allTolerated, used } = matchingTolerations(noExecuteTaints, tolerations);
  if (!allTolerated) return { action: 'schedule', createdAt: now, fireAt: now };
  const min = minTolerationMs(used);
  if (min < 0) return { action: 'cancel' };
  const createdAt = scheduledAt ?? now;
  return { action: 'schedule', createdAt, fireAt: createdAt + min };
}
