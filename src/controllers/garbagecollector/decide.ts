// The collector's decisions, pure: how an item's owner references stand, and what to do about it (upstream attemptToDeleteItem).
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KObject } from '../../api/types';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from './graph';

/** The live state of one owner reference's target: absent (or replaced), or the object. */
export type OwnerState = { ref: OwnerReference; owner: KObject | undefined };

/** upstream classifyReferences: owners that exist, owners that are gone, owners deleting their dependents first. */
export interface ClassifiedReferences {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waitingForDependentsDeletion: OwnerReference[];
}

/** Sorts each owner reference by what its target is now. */
export function classifyReferences(states: OwnerState[]): ClassifiedReferences {
  const out: ClassifiedReferences = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
  for (const { ref, owner } of states) {
    if (!owner || owner.metadata.uid !== ref.uid) out.dangling.push(ref);
    else if (owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND_FINALIZER)) out.waitingForDependentsDeletion.push(ref);
    else out.solid.push(ref);
  }
  return out;
}

/** What the collector does with one item. */
export type GCAction =
  | { type: 'none' }
  /** Drop references to owners that are gone or deleting in the foreground; a solid owner keeps the item. */
  | { type: 'removeOwnerReferences'; uids: string[] }
  /** Delete the item; `unblock` lists dependents whose blocking reference to it must be relaxed first (cycles). */
  | { type: 'delete'; policy: 'Orphan' | 'Foreground' | 'Background'; unblock: string[] };

/** A dependent of the item, as far as the decision needs it. */
export interface DependentState {
  uid: string;
  deletingDependents: boolean;
}

/** upstream attemptToDeleteItem's decision for an item that is not itself deleting its dependents. */
export function attemptToDeleteAction(latest: KObject, refs: ClassifiedReferences, dependents: DependentState[]): GCAction {
  const { solid, dangling, waitingForDependentsDeletion: waiting } = refs;
  if (solid.length) {
    if (!dangling.length && !waiting.length) return { type: 'none' };
    return { type: 'removeOwnerReferences', uids: [...dangling, ...waiting].map((r) => r.uid) };
  }
  if (waiting.length && dependents.length) {
    // An owner waits for this item, which has dependents itself: delete it in the foreground too. A dependent already
    // deleting its own dependents may be waiting on this item in a cycle, so its blocking reference is relaxed.
    return { type: 'delete', policy: 'Foreground', unblock: dependents.filter((d) => d.deletingDependents).map((d) => d.uid) };
  }
  if (!dangling.length && !waiting.length) return { type: 'none' };
  const f = latest.metadata.finalizers ?? [];
  const policy = f.includes(ORPHAN_FINALIZER) ? 'Orphan' : f.includes(FOREGROUND_FINALIZER) ? 'Foreground' : 'Background';
  return { type: 'delete', policy, unblock: [] };
}

/** The owner references left after removing `uids` (undefined when none are left). */
export function withoutOwners(refs: OwnerReference[], uids: string[]): OwnerReference[] | undefined {
  const kept = refs.filter((r) => !uids.includes(r.uid));
  return kept.length ? kept : undefined;
}

/** The owner references with blockOwnerDeletion turned off for `uid`. */
export function unblockOwner(refs: OwnerReference[], uid: string): OwnerReference[] {
  return refs.map((r) => (r.uid === uid && r.blockOwnerDeletion ? { ...r, blockOwnerDeletion: false } : r));
}
