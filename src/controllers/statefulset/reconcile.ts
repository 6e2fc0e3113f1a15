// The StatefulSet controller's decisions as pure functions: the ordered actions of one sync and the status.
import type { StatefulSetSpec, StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { isPodAvailable, isPodReady } from '../shared/pod-util';
import type { Pod } from '../shared/types';
import type { Claim, StatefulSet } from './identity';
import {
  claimOwnerRefs,
  claimOwnerRefsMatch,
  claimsFor,
  getOrdinal,
  getPodRevision,
  identityMatches,
  newStatefulSetPod,
  podInOrdinalRange,
  startOrdinal,
  storageMatches,
  updateIdentity,
  updateStorage,
} from './identity';

/** A revision as the planner needs it: its name and the pod template it restores. */
export interface RevisionRef {
  name: string;
  template: StatefulSetSpec['template'];
}

/** What the planner sees. */
export interface PlanInput {
  set: StatefulSet;
  /** The set's claimed pods. */
  pods: Pod[];
  /** Claims of the set's namespace by name. */
  claims: Map<string, Claim>;
  current: RevisionRef;
  update: RevisionRef;
  now: number;
}

/** One step of a sync, done in order; a failure stops the sync. */
export type Action =
  /** Create the pod's missing claims, then the pod. */
  | { type: 'create'; pod: Pod; claims: Claim[] }
  /** Create claims a pending pod is missing. */
  | { type: 'createClaims'; pod: Pod; claims: Claim[] }
  /** Delete a pod: failed or succeeded (to recreate it), scaled away (condemned), or out of date (update). */
  | { type: 'delete'; pod: Pod; reason: 'failed' | 'succeeded' | 'condemned' | 'update' }
  /** Write a pod whose identity labels or volumes drifted (pod is a corrected copy). */
  | { type: 'update'; pod: Pod; claims: Claim[] }
  /** Set a claim's owner refs as the retention policy wants. */
  | { type: 'claimRefs'; claim: Claim; ownerReferences: OwnerReference[] };

const phase = (p: Pod) => p.status?.phase ?? '';
/** upstream isCreated: the API server has seen the pod (it has a phase). */
export const isCreated = (p: Pod) => phase(p) !== '';
const isTerminating = (p: Pod) => !!p.metadata.deletionTimestamp;
/** upstream isRunningAndReady. */
export const isRunningAndReady = (p: Pod) => phase(p) === 'Running' && isPodReady(p);
const isRunningAndAvailable = (p: Pod, minReady: number, now: number) => phase(p) === 'Running' && isPodAvailable(p, minReady, now);
/** upstream isHealthy: running, ready and not being deleted. */
export const isHealthy = (p: Pod) => isRunningAndReady(p) && !isTerminating(p);

/** upstream newVersionedStatefulSetPod: ordinals below the partition keep the current revision, the rest get the update. */
export function newVersionedPod(set: StatefulSet, current: RevisionRef, update: RevisionRef, ordinal: number): Pod {
  const partition = set.spec.updateStrategy?.type === 'RollingUpdate' ? set.spec.updateStrategy.rollingUpdate?.partition : undefined;
  const useCurrent = partition !== undefined && ordinal < partition;
  const rev = useCurrent ? current : update;
  return newStatefulSetPod(set, rev.template, ordinal, rev.name);
}

// The claims of a pod that are not in the cache yet, with the owner refs the retention policy wants.
function missingClaims(set: StatefulSet, pod: Pod, existing: Map<string, Claim>): Claim[] {
  const out: Claim[] = [];
  for (const claim of claimsFor(set, getOrdinal(pod)).values()) {
    if (existing.has(claim.metadata.name!)) continue;
    const refs = claimOwnerRefs(claim, set, pod);
    if (refs.length) claim.metadata.ownerReferences = refs;
    out.push(claim);
  }
  return out;
}

// Claims of a pod whose owner refs do not follow the retention policy.
function claimRefFixes(set: StatefulSet, pod: Pod, existing: Map<string, Claim>): Action[] {
  const out: Action[] = [];
  for (const want of claimsFor(set, getOrdinal(pod)).values()) {
    const claim = existing.get(want.metadata.name!);
    if (claim && !claimOwnerRefsMatch(claim, set, pod)) out.push({ type: 'claimRefs', claim, ownerReferences: claimOwnerRefs(claim, set, pod) });
  }
  return out;
}

/**
 * upstream updateStatefulSet: the actions of one sync, in order. With OrderedReady (monotonic) the plan stops at the
 * first creation, deletion or unready pod; with Parallel it creates and deletes all it can at once. Scaling comes
 * before updates; a RollingUpdate replaces one pod at a time from the highest ordinal down to the partition.
 */
export function planStatefulSet(input: PlanInput): Action[] {
  const { set, current, update, now, claims } = input;
  const start = startOrdinal(set);
  const count = set.spec.replicas ?? 1;
  const minReady = set.spec.minReadySeconds ?? 0;
  const monotonic = set.spec.podManagementPolicy !== 'Parallel';
  const replicas: Pod[] = new Array(count);
  const condemned: Pod[] = [];
  for (const pod of input.pods) {
    const ord = getOrdinal(pod);
    if (podInOrdinalRange(pod, set)) replicas[ord - start] = pod;
    else if (ord >= 0) condemned.push(pod);
  }
  for (let i = 0; i < count; i++) replicas[i] ??= newVersionedPod(set, current, update, i + start);
  condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));
  const firstUnhealthy = replicas.find((p) => !isHealthy(p)) ?? [...condemned].reverse().find((p) => !isHealthy(p));
  if (set.metadata.deletionTimestamp) return [];

  const actions: Action[] = [];
  for (let i = 0; i < count; i++) {
    let pod = replicas[i];
    if (phase(pod) === 'Failed' || phase(pod) === 'Succeeded') {
      actions.push({ type: 'delete', pod, reason: phase(pod) === 'Failed' ? 'failed' : 'succeeded' });
      pod = replicas[i] = newVersionedPod(set, current, update, i + start);
    }
    if (!isCreated(pod)) {
      actions.push({ type: 'create', pod, claims: missingClaims(set, pod, claims) });
      if (monotonic) return actions;
      continue;
    }
    if (phase(pod) === 'Pending') {
      const missing = missingClaims(set, pod, claims);
      if (missing.length) actions.push({ type: 'createClaims', pod, claims: missing });
    }
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, now))) return actions;
    actions.push(...claimRefFixes(set, pod, claims));
    if (!identityMatches(set, pod) || !storageMatches(set, pod)) {
      const fixed = structuredClone(pod);
      updateIdentity(set, fixed);
      const storageOk = storageMatches(set, fixed);
      if (!storageOk) updateStorage(set, fixed);
      actions.push({ type: 'update', pod: fixed, claims: storageOk ? [] : missingClaims(set, fixed, claims) });
    }
  }

  // Scaled-away pods hand their claims to the retention policy before they go.
  for (const pod of condemned) actions.push(...claimRefFixes(set, pod, claims));
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return actions;
      continue;
    }
    if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, now))) return actions;
    actions.push({ type: 'delete', pod, reason: 'condemned' });
    if (monotonic) return actions;
  }

  if (set.spec.updateStrategy?.type === 'OnDelete') return actions;
  const updateMin = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let target = count - 1; target >= updateMin; target--) {
    const pod = replicas[target];
    if (getPodRevision(pod) !== update.name && !isTerminating(pod)) {
      actions.push({ type: 'delete', pod, reason: 'update' });
      return actions;
    }
    if (!isHealthy(pod)) return actions;
  }
  return actions;
}

/**
 * upstream updateStatus + completeRollingUpdate: counts over the set's pods with a valid ordinal, the revisions, and
 * the current revision catching up with the update revision once every pod is updated and ready.
 */
export function calculateStatus(set: StatefulSet, pods: Pod[], current: string, update: string, collisionCount: number, now: number): StatefulSetStatus {
  const minReady = set.spec.minReadySeconds ?? 0;
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let currentReplicas = 0;
  let updated = 0;
  for (const pod of pods) {
    if (getOrdinal(pod) < 0) continue;
    if (isCreated(pod)) replicas++;
    if (isRunningAndReady(pod)) {
      ready++;
      if (isRunningAndAvailable(pod, minReady, now)) available++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const rev = getPodRevision(pod);
      if (rev === current) currentReplicas++;
      if (rev === update) updated++;
    }
  }
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata.generation,
    replicas,
    readyReplicas: ready,
    currentReplicas,
    updatedReplicas: updated,
    availableReplicas: available,
    currentRevision: current,
    updateRevision: update,
    collisionCount,
  };
  if (set.spec.updateStrategy?.type === 'RollingUpdate' && updated === replicas && ready === replicas) {
    status.currentReplicas = updated;
    status.currentRevision = update;
  }
  // Go's omitempty leaves zero counts out of the wire form.
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const) if (!status[k]) delete status[k];
  if (set.status?.conditions?.length) status.conditions = set.status.conditions;
  return status;
}

/** upstream inconsistentStatus: true when the status must be written. */
export function statusNeedsUpdate(set: StatefulSet, next: StatefulSetStatus): boolean {
  const cur: StatefulSetStatus = set.status ?? { replicas: 0 };
  if (cur.observedGeneration === undefined || (next.observedGeneration ?? 0) > cur.observedGeneration) return true;
  const keys = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'currentRevision', 'updateRevision', 'collisionCount'] as const;
  return keys.some((k) => (cur[k] ?? 0) !== (next[k] ?? 0));
}
