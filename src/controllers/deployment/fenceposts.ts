// maxSurge and maxUnavailable resolved against spec.replicas: ints or percents, surge rounding up and unavailability down.
import type { Deployment } from '../shared/types';
import { specReplicas } from '../shared/types';

/** intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of `total` rounded up or down. */
export function valueFromIntOrPercent(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** Upstream ResolveFenceposts: [surge, unavailable] for `desired` replicas; never both zero (unavailable becomes 1). */
export function resolveFenceposts(maxSurgeValue: number | string | undefined, maxUnavailableValue: number | string | undefined, desired: number): [number, number] {
  const surge = valueFromIntOrPercent(maxSurgeValue ?? 0, desired, true);
  let unavailable = valueFromIntOrPercent(maxUnavailableValue ?? 0, desired, false);
  // Rounding down may make both zero; one unavailable pod is then allowed in case quota forbids a surge.
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

/** True for the RollingUpdate strategy. */
export function isRollingUpdate(d: Deployment): boolean {
  return d.spec.strategy?.type === 'RollingUpdate';
}

/** The surge allowed above spec.replicas (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, specReplicas(d))[0];
}

/** The pods that may be unavailable during a rollout, at most spec.replicas (0 for Recreate or zero replicas). */
export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas)[1], replicas);
}
