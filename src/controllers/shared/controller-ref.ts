// ControllerRefs: who controls an object, and claiming objects by selector (adopt orphans, release strays) as upstream's ControllerRefManager.
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KObject } from '../../api/types';
import type { Selector } from '../../machinery/labels';
import { matchesLabels } from '../../machinery/labels';
import { isNotFound } from './errors';

/** The API identity of a controller kind, e.g. apps/v1 ReplicaSet. */
export interface ControllerKind {
  apiVersion: string;
  kind: string;
}

/** The owner reference marked controller=true, if any. */
export function getControllerOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** A controller reference to `owner`, as metav1.NewControllerRef. */
export function newControllerRef(owner: KObject, kind: ControllerKind): OwnerReference {
  return { apiVersion: kind.apiVersion, kind: kind.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** True when `obj`'s controller reference points at `owner` (by UID). */
export function isControlledBy(obj: KObject, owner: KObject): boolean {
  const ref = getControllerOf(obj);
  return !!ref && ref.uid === owner.metadata.uid;
}

/** What claiming does with one object: keep it, adopt it, release it, or leave it alone. */
export type ClaimAction = 'claimed' | 'adopt' | 'release' | 'ignore';

/** Upstream ClaimObject's decision for one object, without the writes. */
export function claimAction(obj: KObject, owner: KObject, selector: Selector): ClaimAction {
  const ref = getControllerOf(obj);
  const matches = matchesLabels(selector, obj.metadata.labels);
  const ownerDeleting = !!owner.metadata.deletionTimestamp;
  if (ref) {
    if (ref.uid !== owner.metadata.uid) return 'ignore';
    // We may keep what we own while being deleted: that takes no action.
    if (matches) return 'claimed';
    return ownerDeleting ? 'ignore' : 'release';
  }
  if (ownerDeleting || !matches || obj.metadata.deletionTimestamp) return 'ignore';
  if (owner.metadata.namespace && owner.metadata.namespace !== obj.metadata.namespace) return 'ignore';
  return 'adopt';
}

/** Writes for claiming: a strategic merge patch of the object's metadata. */
export type PatchFn = (namespace: string, name: string, patch: unknown) => Promise<unknown>;

/** Options of claimObjects. */
export interface ClaimOptions {
  owner: KObject;
  kind: ControllerKind;
  selector: Selector;
  /** Kind of the claimed objects, for messages ("Pod"). */
  objectKind: string;
  patch: PatchFn;
  /** Rechecks, once and only before the first adoption, that the owner still exists and is not being deleted. */
  canAdopt: () => Promise<void>;
}

/**
 * Claims `objs` for `owner`: returns the ones it now controls, adopting matching orphans and releasing owned
 * objects that stopped matching. Errors are collected; the first is thrown after every object was tried.
 */
export async function claimObjects<T extends KObject>(objs: T[], o: ClaimOptions): Promise<T[]> {
  const claimed: T[] = [];
  const errors: unknown[] = [];
  let adoptable: Promise<void> | undefined;
  const uid = o.owner.metadata.uid;
  for (const obj of objs) {
    const action = claimAction(obj, o.owner, o.selector);
    if (action === 'claimed') claimed.push(obj);
    if (action !== 'adopt' && action !== 'release') continue;
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name!;
    try {
      if (action === 'adopt') {
        adoptable ??= o.canAdopt().catch((e) => {
          throw new Error(`can't adopt ${o.objectKind} ${ns}/${name} (${obj.metadata.uid}): ${(e as Error).message}`);
        });
        await adoptable;
        const ref = newControllerRef(o.owner, o.kind);
        // The uid makes the patch fail if the object was replaced meanwhile.
        await o.patch(ns, name, { metadata: { ownerReferences: [ref], uid: obj.metadata.uid } });
        claimed.push(obj);
      } else {
        await o.patch(ns, name, { metadata: { ownerReferences: [{ $patch: 'delete', uid }], uid: obj.metadata.uid } });
      }
    } catch (e) {
      // An object that vanished is neither claimed nor an error.
      if (!isNotFound(e)) errors.push(e);
    }
  }
  if (errors.length) throw errors[0];
  return claimed;
}

/** Upstream RecheckDeletionTimestamp: fails when the freshly read owner is a different object or is being deleted. */
export async function recheckOwner(owner: KObject, getFresh: () => Promise<KObject>): Promise<void> {
  const fresh = await getFresh();
  const ns = owner.metadata.namespace;
  if (fresh.metadata.uid !== owner.metadata.uid) {
    throw new Error(`original ${owner.kind} ${ns}/${owner.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${owner.metadata.uid}`);
  }
  if (fresh.metadata.deletionTimestamp) throw new Error(`${ns}/${owner.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
}
