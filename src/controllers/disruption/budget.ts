// PodDisruptionBudget math, pure: expected pods, desired and current healthy, allowed disruptions, status (upstream disruption.go).
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1';
import type { LabelSelector, OwnerReference } from 'kubernetes-types/meta/v1';
import type { KObject } from '../../api/types';
import { rfc3339 } from '../../util/clock';
import { getControllerOf } from '../shared/controller-ref';
import { isPodReady, parseTime } from '../shared/pod-util';
import type { Pod } from '../shared/types';

/** upstream DeletionTimeout: an eviction's pod that is not being deleted after this long counts as healthy again. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

/** A PDB as the controller handles it. */
export type PDB = PodDisruptionBudget & KObject;

/** An int or a percentage string ("50%"). */
type IntOrString = number | string;

type MutableStatus = { -readonly [K in keyof PodDisruptionBudgetStatus]: PodDisruptionBudgetStatus[K] };

/** upstream GetScaledValueFromIntOrPercent: an int as is, "x%" of total rounded up or down. */
export function scaledValue(v: IntOrString, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** The scale of the controller that owns a pod through `ref` (following ReplicaSet → Deployment), or undefined. */
export type ScaleFinder = (ref: OwnerReference, namespace: string) => { uid: string; scale: number } | undefined;

/** upstream getExpectedScale: the summed scale of the pods' controllers; pods without a controller are reported. */
export function expectedScale(pods: Pod[], findScale: ScaleFinder): { expectedCount: number; unmanagedPods: string[] } {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = getControllerOf(pod);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name!);
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = findScale(ref, pod.metadata.namespace!);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    scales.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const s of scales.values()) expectedCount += s;
  return { expectedCount, unmanagedPods };
}

/** upstream getExpectedPodCount: how many pods there should be and how many must stay healthy. */
export function expectedPodCount(pdb: PDB, pods: Pod[], findScale: ScaleFinder): { expectedCount: number; desiredHealthy: number; unmanagedPods: string[] } {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined) {
    const { expectedCount, unmanagedPods } = expectedScale(pods, findScale);
    const desiredHealthy = Math.max(0, expectedCount - scaledValue(maxUnavailable, expectedCount, true));
    return { expectedCount, desiredHealthy, unmanagedPods };
  }
  if (minAvailable !== undefined) {
    if (typeof minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: minAvailable, unmanagedPods: [] };
    const { expectedCount, unmanagedPods } = expectedScale(pods, findScale);
    return { expectedCount, desiredHealthy: scaledValue(minAvailable, expectedCount, true), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/** upstream buildDisruptedPodMap: evictions still expected to delete their pod, and when to look again. */
export function buildDisruptedPodMap(pods: Pod[], pdb: PDB, now: number): { disrupted: Record<string, string>; recheckAt?: number; overdue: Pod[] } {
  const recorded = (pdb.status?.disruptedPods ?? {}) as Record<string, string>;
  const disrupted: Record<string, string> = {};
  const overdue: Pod[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = parseTime(recorded[pod.metadata.name!]);
    if (at === undefined) continue;
    const expected = at + DELETION_TIMEOUT_MS;
    if (expected < now) overdue.push(pod);
    else {
      if (recheckAt === undefined || expected < recheckAt) recheckAt = expected;
      disrupted[pod.metadata.name!] = recorded[pod.metadata.name!];
    }
  }
  return { disrupted, recheckAt, overdue };
}

/** upstream countHealthyPods: ready pods that are neither being deleted nor about to be evicted. */
export function countHealthyPods(pods: Pod[], disrupted: Record<string, string>, now: number): number {
  let n = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = parseTime(disrupted[pod.metadata.name!]);
    if (at !== undefined && at + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) n++;
  }
  return n;
}

/** upstream UpdateDisruptionAllowedCondition on a status (mutated). */
export function setDisruptionAllowedCondition(status: MutableStatus, now: number, reason?: { reason: string; message: string }): void {
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  const want = reason ? { status: 'False', ...reason } : allowed ? { status: 'True', reason: 'SufficientPods', message: '' } : { status: 'False', reason: 'InsufficientPods', message: '' };
  const conds = [...(status.conditions ?? [])];
  const i = conds.findIndex((c) => c.type === 'DisruptionAllowed');
  const prev = i >= 0 ? conds[i] : undefined;
  const cond = {
    type: 'DisruptionAllowed',
    ...want,
    observedGeneration: status.observedGeneration,
    lastTransitionTime: prev && prev.status === want.status ? prev.lastTransitionTime : rfc3339(now),
  };
  if (i >= 0) conds[i] = cond;
  else conds.push(cond);
  status.conditions = conds;
}

function conditionUpToDate(pdb: PDB): boolean {
  const c = pdb.status?.conditions?.find((x) => x.type === 'DisruptionAllowed');
  if (!c || pdb.status?.observedGeneration !== pdb.metadata.generation) return false;
  return (pdb.status?.disruptionsAllowed ?? 0) > 0 ? c.status === 'True' && c.reason === 'SufficientPods' : c.status === 'False' && c.reason === 'InsufficientPods';
}

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string>) => JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort());

/** upstream updatePdbStatus: the new status, or undefined when the stored one already says it. */
export function pdbStatus(pdb: PDB, currentHealthy: number, desiredHealthy: number, expectedCount: number, disrupted: Record<string, string>, now: number): PodDisruptionBudgetStatus | undefined {
  // No disruptions while no pods are expected: the first pods may appear before this controller has looked.
  const allowed = expectedCount <= 0 || currentHealthy - desiredHealthy <= 0 ? 0 : currentHealthy - desiredHealthy;
  const s = pdb.status;
  if (
    s &&
    s.currentHealthy === currentHealthy &&
    s.desiredHealthy === desiredHealthy &&
    s.expectedPods === expectedCount &&
    s.disruptionsAllowed === allowed &&
    sameMap(s.disruptedPods as Record<string, string> | undefined, disrupted) &&
    conditionUpToDate(pdb)
  ) {
    return undefined;
  }
  const next: MutableStatus = {
    currentHealthy,
    desiredHealthy,
    expectedPods: expectedCount,
    disruptionsAllowed: allowed,
    observedGeneration: pdb.metadata.generation,
    conditions: s?.conditions,
  };
  if (Object.keys(disrupted).length) next.disruptedPods = disrupted;
  setDisruptionAllowedCondition(next, now);
  return next;
}

/** upstream failSafe: no disruptions allowed, and why. */
export function failSafeStatus(pdb: PDB, message: string, now: number): PodDisruptionBudgetStatus {
  const next: MutableStatus = { ...(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }), disruptionsAllowed: 0 };
  setDisruptionAllowedCondition(next, now, { reason: 'SyncFailed', message });
  return next;
}

/** How upstream prints a *metav1.LabelSelector with %v, for the UnmanagedPods event. */
export function formatSelector(sel: LabelSelector | undefined): string {
  if (!sel) return '<nil>';
  const labels = Object.entries(sel.matchLabels ?? {})
    .sort()
    .map(([k, v]) => `${k}: ${v},`)
    .join('');
  const exprs = (sel.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
