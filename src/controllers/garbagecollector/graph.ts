// The ownership graph: every object with owners or dependents, and the work each change creates (upstream GraphBuilder, pure).
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KObject } from '../../api/types';
import type { GVR } from '../../client/types';

/** The finalizer that makes an owner wait for its blocking dependents to be deleted. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** The finalizer that makes an owner wait until its dependents no longer reference it. */
export const ORPHAN_FINALIZER = 'orphan';

/** Which object a node stands for; `gvr` is unknown (undefined) for an owner of a kind this server does not serve. */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  gvr?: GVR;
}

/** One object in the graph. */
export interface GraphNode {
  identity: ObjectIdentity;
  owners: OwnerReference[];
  /** UIDs of the nodes naming this one as an owner. */
  dependents: Set<string>;
  beingDeleted: boolean;
  /** Being deleted in the foreground: waits for its blocking dependents. */
  deletingDependents: boolean;
  /** Known only as somebody's owner, never observed itself. */
  virtual: boolean;
}

/** What a change asks the collector to do: items (UIDs) to check for deletion, and owners whose dependents to orphan. */
export interface GraphWork {
  attemptToDelete: string[];
  attemptToOrphan: string[];
}

/** Finds the resource of an owner reference's apiVersion and kind (undefined for kinds not served). */
export type KindResolver = (apiVersion: string, kind: string) => { gvr: GVR; namespaced: boolean } | undefined;

const hasFinalizer = (obj: KObject | undefined, f: string) => !!obj?.metadata.finalizers?.includes(f);
const deleting = (obj: KObject | undefined) => !!obj?.metadata.deletionTimestamp;

/** An object changes from not waiting to waiting for its dependents to be orphaned (or is first seen so). */
export function startsWaitingForOrphaning(oldObj: KObject | undefined, obj: KObject): boolean {
  if (!deleting(obj) || !hasFinalizer(obj, ORPHAN_FINALIZER)) return false;
  return !deleting(oldObj) || !hasFinalizer(oldObj, ORPHAN_FINALIZER);
}

/** An object changes from not waiting to waiting for its dependents to be deleted (or is first seen so). */
export function startsWaitingForDependentsDeleted(oldObj: KObject | undefined, obj: KObject): boolean {
  if (!deleting(obj) || !hasFinalizer(obj, FOREGROUND_FINALIZER)) return false;
  return !deleting(oldObj) || !hasFinalizer(oldObj, FOREGROUND_FINALIZER);
}

/** Owner references that were added, removed, or changed (blockOwnerDeletion, controller) between two lists, by UID. */
export function referencesDiffs(oldRefs: OwnerReference[], newRefs: OwnerReference[]): { added: OwnerReference[]; removed: OwnerReference[]; changed: { old: OwnerReference; new: OwnerReference }[] } {
  const oldByUid = new Map(oldRefs.map((r) => [r.uid, r]));
  const newByUid = new Map(newRefs.map((r) => [r.uid, r]));
  const added = newRefs.filter((r) => !oldByUid.has(r.uid));
  const removed = oldRefs.filter((r) => !newByUid.has(r.uid));
  const changed: { old: OwnerReference; new: OwnerReference }[] = [];
  for (const r of newRefs) {
    const o = oldByUid.get(r.uid);
    if (o && JSON.stringify(o) !== JSON.stringify(r)) changed.push({ old: o, new: r });
  }
  return { added, removed, changed };
}

const NO_DIFF: ReturnType<typeof referencesDiffs> = { added: [], removed: [], changed: [] };

// Most updates (status writes) leave owner references alone: a cheap check before diffing.
function sameReferences(a: OwnerReference[], b: OwnerReference[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((r, i) => r.uid === b[i].uid && r.blockOwnerDeletion === b[i].blockOwnerDeletion && r.controller === b[i].controller && r.name === b[i].name && r.kind === b[i].kind && r.apiVersion === b[i].apiVersion);
}

/** The ownership graph, fed with informer events; each call returns the work the change creates. */
export class Graph {
  readonly nodes = new Map<string, GraphNode>();

  constructor(private readonly resolve: KindResolver) {}

  /** The node of a UID. */
  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** Dependents of `node` whose reference to it blocks its foreground deletion. */
  blockingDependents(node: GraphNode): GraphNode[] {
    const out: GraphNode[] = [];
    for (const uid of node.dependents) {
      const dep = this.nodes.get(uid);
      if (dep?.owners.some((o) => o.uid === node.identity.uid && o.blockOwnerDeletion === true)) out.push(dep);
    }
    return out;
  }

  /** The identity of an owner as referenced from a dependent in `namespace`. */
  ownerIdentity(ref: OwnerReference, namespace: string): ObjectIdentity {
    const r = this.resolve(ref.apiVersion, ref.kind);
    return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: r?.namespaced ? namespace : '', gvr: r?.gvr };
  }

  /** An object was added or updated (`oldObj` is the previous state, if any). */
  upsert(obj: KObject, gvr: GVR, oldObj?: KObject): GraphWork {
    const work: GraphWork = { attemptToDelete: [], attemptToOrphan: [] };
    const m = obj.metadata;
    const uid = m.uid!;
    const owners = (m.ownerReferences ?? []) as OwnerReference[];
    let node = this.nodes.get(uid);
    const identity: ObjectIdentity = { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '', namespace: m.namespace ?? '', name: m.name!, uid, gvr };
    if (!node || node.virtual) {
      const dependents = node?.dependents ?? new Set<string>();
      node = { identity, owners, dependents, beingDeleted: !!m.deletionTimestamp, deletingDependents: false, virtual: false };
      this.nodes.set(uid, node);
      this.addToOwners(node, owners, work);
    } else {
      node.identity = identity;
      const { added, removed, changed } = sameReferences(node.owners, owners) ? NO_DIFF : referencesDiffs(node.owners, owners);
      if (added.length || removed.length || changed.length) {
        // An owner waiting in the foreground may be unblocked by a reference that went away or stopped blocking.
        const unblocked = [...removed.filter((r) => r.blockOwnerDeletion), ...changed.filter((c) => c.old.blockOwnerDeletion && !c.new.blockOwnerDeletion).map((c) => c.old)];
        for (const r of unblocked) {
          const owner = this.nodes.get(r.uid);
          if (owner?.deletingDependents) work.attemptToDelete.push(owner.identity.uid);
        }
        node.owners = owners;
        this.addToOwners(node, added, work);
        for (const r of removed) this.nodes.get(r.uid)?.dependents.delete(uid);
      }
      if (m.deletionTimestamp) node.beingDeleted = true;
    }
    if (startsWaitingForOrphaning(oldObj, obj)) {
      work.attemptToOrphan.push(uid);
    } else if (startsWaitingForDependentsDeleted(oldObj, obj)) {
      node.deletingDependents = true;
      work.attemptToDelete.push(...node.dependents, uid);
    }
    return work;
  }

  /** An object is gone (observed, or found missing when a virtual node was checked). */
  remove(uid: string): GraphWork {
    const work: GraphWork = { attemptToDelete: [], attemptToOrphan: [] };
    const node = this.nodes.get(uid);
    if (!node) return work;
    this.nodes.delete(uid);
    for (const r of node.owners) {
      const owner = this.nodes.get(r.uid);
      if (!owner) continue;
      owner.dependents.delete(uid);
      // A foreground owner may have been waiting for just this dependent.
      if (owner.deletingDependents) work.attemptToDelete.push(owner.identity.uid);
      if (owner.virtual && owner.dependents.size === 0) this.nodes.delete(owner.identity.uid);
    }
    // Dependents of a vanished owner are now dangling; a later reference to it makes a virtual node that is checked again.
    work.attemptToDelete.push(...node.dependents);
    return work;
  }

  private addToOwners(node: GraphNode, refs: OwnerReference[], work: GraphWork): void {
    for (const ref of refs) {
      let owner = this.nodes.get(ref.uid);
      if (!owner) {
        // An owner not seen (yet): a virtual node, checked against the API in case it never existed or is gone.
        owner = { identity: this.ownerIdentity(ref, node.identity.namespace), owners: [], dependents: new Set(), beingDeleted: false, deletingDependents: false, virtual: true };
        this.nodes.set(ref.uid, owner);
        work.attemptToDelete.push(ref.uid);
      }
      owner.dependents.add(node.identity.uid);
    }
  }
}
