// Which pods go first when a controller scales down: upstream's ActivePodsWithRanks order (least valuable first).
import { isPodReady, maxContainerRestarts, parseTime, podReadyTime } from './pod-util';
import type { Pod } from './types';

/** Annotation a user sets to make a pod cheaper (lower) or dearer (higher) to delete. */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** A pod with its rank: how many related pods share its node (more means deleted sooner). */
export interface RankedPod {
  pod: Pod;
  rank: number;
}

function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined || !/^[-+]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

// Go's time.Duration is in nanoseconds; upstream buckets ages by floor(log2(ns)).
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

// Upstream afterOrZero: a zero time sorts first, then the later time.
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

// Logarithmic scale-down (on by default since 1.22): times in the same power-of-two age bucket tie, broken by UID.
function newerFirst(a: number | undefined, b: number | undefined, pa: Pod, pb: Pod, now: number): boolean {
  if (a === undefined || b === undefined) return afterOrZero(a, b);
  const diff = logRank(a, now) - logRank(b, now);
  if (diff === 0) return (pa.metadata.uid ?? '') < (pb.metadata.uid ?? '');
  return diff < 0;
}

// What the order looks at, worked out once per pod rather than once per comparison.
interface SortKey {
  pod: Pod;
  rank: number;
  node: string;
  phase: number;
  ready: boolean;
  cost: number;
  readyTime: number | undefined;
  restarts: number;
  created: number | undefined;
}

function sortKey({ pod, rank }: RankedPod): SortKey {
  return {
    pod,
    rank,
    node: pod.spec.nodeName ?? '',
    phase: PHASE_ORDINAL[pod.status?.phase ?? ''] ?? 0,
    ready: isPodReady(pod),
    cost: deletionCost(pod),
    readyTime: podReadyTime(pod),
    restarts: maxContainerRestarts(pod),
    created: parseTime(pod.metadata.creationTimestamp),
  };
}

/** Upstream ActivePodsWithRanks.Less: true when `a` should be deleted before `b`. */
function deletesBefore(a: SortKey, b: SortKey, now: number): boolean {
  // 1. Unassigned < assigned.
  if (a.node !== b.node && (!a.node || !b.node)) return !a.node;
  // 2. Pending < Unknown < Running.
  if (a.phase !== b.phase) return a.phase < b.phase;
  // 3. Not ready < ready.
  if (a.ready !== b.ready) return !a.ready;
  // 4. Lower pod-deletion-cost < higher.
  if (a.cost !== b.cost) return a.cost < b.cost;
  // 5. Doubled up on a node < not doubled up.
  if (a.rank !== b.rank) return a.rank > b.rank;
  // 6. Ready for less time < more time.
  if (a.ready && b.ready && a.readyTime !== b.readyTime) return newerFirst(a.readyTime, b.readyTime, a.pod, b.pod, now);
  // 7. More container restarts < fewer.
  if (a.restarts !== b.restarts) return a.restarts > b.restarts;
  // 8. Newer < older.
  if (a.created !== b.created) return newerFirst(a.created, b.created, a.pod, b.pod, now);
  return false;
}

/** Sorts ranked pods so that the ones to delete first come first. */
export function sortForDeletion(pods: RankedPod[], now: number): RankedPod[] {
  const keys = pods.map(sortKey).sort((a, b) => (deletesBefore(a, b, now) ? -1 : deletesBefore(b, a, now) ? 1 : 0));
  return keys.map((k) => ({ pod: k.pod, rank: k.rank }));
}
