// Taints and tolerations (upstream v1helper.TolerationsTolerateTaint), shared by the taint and unschedulable filters.
import type { Taint, Toleration } from 'kubernetes-types/core/v1';

/** upstream Toleration.ToleratesTaint: effect and key match (empty means any), Exists or an equal value. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** True when one of the tolerations tolerates the taint. */
export function tolerated(taint: Taint, tolerations: readonly Toleration[] | undefined): boolean {
  for (const t of tolerations ?? []) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** The first taint passing `include` that no toleration tolerates (upstream FindMatchingUntoleratedTaint). */
export function findUntoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined, include: (t: Taint) => boolean): Taint | undefined {
  for (const taint of taints ?? []) if (include(taint) && !tolerated(taint, tolerations)) return taint;
  return undefined;
}
