// Rollout arithmetic: how far to scale the new and the old ReplicaSets in a step, saturation, and proportional resizes.
import type { Deployment, ReplicaSet } from '../shared/types';
import { specReplicas } from '../shared/types';
import { DESIRED_REPLICAS_ANNOTATION, intAnnotation, MAX_REPLICAS_ANNOTATION } from './annotations';
import { maxSurge, maxUnavailable, valueFromIntOrPercent } from './fenceposts';
import { byCreationTimestamp, bySizeNewer, bySizeOlder, filterActiveReplicaSets } from './replicasets';

/** Sum of spec.replicas. */
export function replicaCount(rss: (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? specReplicas(rs) : 0), 0);
}

/** Sum of status.replicas. */
export function actualReplicaCount(rss: (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

/** Sum of status.readyReplicas. */
export function readyReplicaCount(rss: (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

/** Sum of status.availableReplicas. */
export function availableReplicaCount(rss: (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

/** Upstream NewRSNewReplicas: the new ReplicaSet's size for this step (surge-limited for RollingUpdate, full for Recreate). */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = specReplicas(d);
  switch (d.spec.strategy?.type) {
    case 'RollingUpdate': {
      const surge = valueFromIntOrPercent(d.spec.strategy.rollingUpdate?.maxSurge, replicas, true);
      const current = replicaCount(allRSs);
      const maxTotal = replicas + surge;
      if (current >= maxTotal) return specReplicas(newRS);
      return specReplicas(newRS) + Math.min(maxTotal - current, replicas - specReplicas(newRS));
    }
    case 'Recreate':
      return replicas;
    default:
      throw new Error(`deployment type ${d.spec.strategy?.type} isn't supported`);
  }
}

/** Upstream IsSaturated: the new ReplicaSet has all desired replicas, believes so (annotation) and all are available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
  if (desired === undefined) return false;
  const replicas = specReplicas(d);
  return specReplicas(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

// Go's math.Round rounds halves away from zero.
const roundHalfAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

/** Upstream getReplicaSetFraction: how many replicas `rs` gains (or loses) when the Deployment is resized. */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (specReplicas(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = specReplicas(d) + maxSurge(d);
  // Without the annotation the current size stands in: inexact, but the min/max in getProportion keeps it in bounds.
  const annotated = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
  return roundHalfAway((specReplicas(rs) * deploymentReplicas) / annotated) - specReplicas(rs);
}

/** Upstream GetProportion: `rs`'s share of the replicas still to add (or remove). */
export function getProportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  // Never move past what is left to add (up) or remove (down).
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** A ReplicaSet and the size it should be scaled to. */
export interface ScaleStep {
  rs: ReplicaSet;
  size: number;
}

/**
 * The proportional part of upstream's scale(): during a rollout (several active ReplicaSets) a resize of the
 * Deployment is spread over the ReplicaSets by their share, the leftover going to the largest one. Returns every
 * active ReplicaSet with its new size (unchanged sizes included, as upstream also refreshes their annotations).
 */
export function proportionalScale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ScaleStep[] {
  let active = filterActiveReplicaSets([...oldRSs, newRS]);
  const allowed = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(active);
  // Scaling up favours newer ReplicaSets of equal size, scaling down older ones.
  if (toAdd > 0) active = [...active].sort(bySizeNewer);
  else if (toAdd < 0) active = [...active].sort(bySizeOlder);
  let added = 0;
  const steps = active.map((rs) => {
    if (toAdd === 0) return { rs, size: specReplicas(rs) };
    const p = getProportion(rs, d, toAdd, added);
    added += p;
    return { rs, size: specReplicas(rs) + p };
  });
  if (steps.length && toAdd !== 0) steps[0].size = Math.max(steps[0].size + toAdd - added, 0);
  return steps;
}

/**
 * Upstream reconcileOldReplicaSets without the writes: how far to scale each old ReplicaSet down during a rolling
 * update. First unhealthy replicas (scaling them down costs no availability), oldest ReplicaSet first, then healthy
 * ones while more than minAvailable pods are available. The same ReplicaSet may appear twice (both steps).
 */
export function oldReplicaSetsScaleDown(d: Deployment, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): ScaleStep[] {
  if (replicaCount(oldRSs) === 0) return [];
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newRSUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  // Unavailable pods of the new ReplicaSet count against the budget, so a broken rollout cannot eat the old pods.
  const maxScaledDown = replicaCount(allRSs) - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return [];
  const steps: ScaleStep[] = [];
  // Sizes as they will be after each step; status (available counts) does not change within one sync.
  const size = new Map<ReplicaSet, number>(oldRSs.map((rs) => [rs, specReplicas(rs)]));
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  let cleaned = 0;
  for (const rs of sorted) {
    if (cleaned >= maxScaledDown) break;
    const cur = size.get(rs)!;
    const available = rs.status?.availableReplicas ?? 0;
    if (cur === 0 || cur === available) continue;
    const n = Math.min(maxScaledDown - cleaned, cur - available);
    size.set(rs, cur - n);
    steps.push({ rs, size: cur - n });
    cleaned += n;
  }
  const availablePods = availableReplicaCount([...oldRSs, newRS]);
  if (availablePods <= minAvailable) return steps;
  const budget = availablePods - minAvailable;
  let scaled = 0;
  for (const rs of sorted) {
    if (scaled >= budget) break;
    const cur = size.get(rs)!;
    if (cur === 0) continue;
    const n = Math.min(cur, budget - scaled);
    size.set(rs, cur - n);
    steps.push({ rs, size: cur - n });
    scaled += n;
  }
  return steps;
}
