// Gang scheduling (coscheduling): pods of a pod group are placed together, min-member at once, or not at all.
import type { Pod } from 'kubernetes-types/core/v1';

/** The label naming a pod's group, as the coscheduling plugin (scheduler-plugins) uses it. */
export const POD_GROUP_LABEL = 'scheduling.x-k8s.io/pod-group';
/** How many pods of the group must be placed at once: an annotation (or label) on the pods, standing in for PodGroup.spec.minMember. */
export const MIN_MEMBER_KEY = 'scheduling.x-k8s.io/min-member';

/** "namespace/group" for a pod in a group, else undefined. */
export function podGroupKey(pod: Pod): string | undefined {
  const g = pod.metadata?.labels?.[POD_GROUP_LABEL];
  return g ? `${pod.metadata?.namespace ?? ''}/${g}` : undefined;
}

/** The group's min-member from the pod's annotation or label; 1 (no gang constraint) when absent or not a positive integer. */
export function minMemberOf(pod: Pod): number {
  const raw = pod.metadata?.annotations?.[MIN_MEMBER_KEY] ?? pod.metadata?.labels?.[MIN_MEMBER_KEY];
  const n = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : 1;
  return n >= 1 ? n : 1;
}

/** upstream coscheduling's PreFilter message when the group has too few pods to ever reach min-member. */
export function notEnoughSiblingsMessage(podName: string, current: number, minMember: number): string {
  return `pre-filter pod ${podName} cannot find enough sibling pods, current pods number: ${current}, minMember of group: ${minMember}`;
}

/** The suffix of the FailedScheduling message when the group's pods do not all fit at once. */
export function gangNotPlacedMessage(group: string, placed: number, needed: number): string {
  return `coscheduling: pod group "${group}" cannot be placed all at once (${placed} of ${needed} pods fit)`;
}

/** The outcome of trying to place one member in a simulation. */
export type PlaceResult<F> = { node: string } | { failure: F };

/** The result of a gang simulation. */
export interface GangPlan<M, F> {
  /** Members placed (kept when `ok`, undone otherwise). */
  placed: { member: M; node: string }[];
  /** Members that did not fit, with why. */
  failed: { member: M; failure: F }[];
  /** True when at least `needed` members fit at once. */
  ok: boolean;
}

/**
 * Places members one after another, each seeing the earlier ones (tryPlace assumes them); keeps the placements only when
 * at least `needed` fit, otherwise undoes every one, so a group that cannot run holds nothing.
 */
export function simulateGang<M, F>(members: M[], needed: number, tryPlace: (m: M) => PlaceResult<F>, undo: (m: M) => void): GangPlan<M, F> {
  const plan: GangPlan<M, F> = { placed: [], failed: [], ok: false };
  for (let i = 0; i < members.length; i++) {
    const r = tryPlace(members[i]);
    if ('node' in r) plan.placed.push({ member: members[i], node: r.node });
    else {
      plan.failed.push({ member: members[i], failure: r.failure });
      // Stop as soon as the rest could not make up the difference.
      if (plan.placed.length + members.length - i - 1 < needed) break;
    }
  }
  plan.ok = plan.placed.length >= needed;
  if (!plan.ok) for (const p of plan.placed) undo(p.member);
  return plan;
}
