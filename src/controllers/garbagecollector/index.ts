// The garbage collector: deletes dependents of deleted owners (background, foreground, orphan).
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KObject } from '../../api/types';
import type { Client } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import { logger } from '../../util/log';
import { errorMessage, isConflict, isNotFound } from '../shared/errors';
import type { Controller, ControllerDeps } from '../types';
import { attemptToDeleteAction, classifyReferences, OwnerState, unblockOwner, withoutOwners } from './decide';
import { FOREGROUND_FINALIZER, Graph, GraphNode, GraphWork, ObjectIdentity, ORPHAN_FINALIZER } from './graph';
import { collectableResources, kindResolver } from './resources';

const log = logger('garbage-collector-controller');

const DELETE_WORKERS = 4;

const ref = (id: ObjectIdentity) => (id.namespace ? `${id.namespace}/${id.name}` : id.name);

/** The collector's writes and live reads, through the API. */
class GCPort {
  constructor(private readonly client: Client) {}

  /** The object as stored now, or undefined when it is gone or was replaced by another with the same name. */
  async live(id: ObjectIdentity): Promise<KObject | undefined> {
    try {
      const obj = await this.client.resource(id.gvr!).get(id.namespace, id.name);
      return obj.metadata.uid === id.uid ? obj : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async delete(id: ObjectIdentity, policy: 'Orphan' | 'Foreground' | 'Background'): Promise<void> {
    try {
      log.debug('deleting object', { obj: ref(id), kind: id.kind, uid: id.uid, propagationPolicy: policy });
      await this.client.resource(id.gvr!).delete(id.namespace, id.name, { propagationPolicy: policy, preconditions: { uid: id.uid } });
    } catch (e) {
      // Already gone, or replaced by a new object of the same name: nothing to collect.
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }

  /** Rewrites metadata.ownerReferences with `edit`, guarded by the resourceVersion it read. */
  async editOwnerReferences(id: ObjectIdentity, edit: (refs: OwnerReference[]) => OwnerReference[] | undefined): Promise<void> {
    const obj = await this.live(id);
    if (!obj) return;
    const refs = (obj.metadata.ownerReferences ?? []) as OwnerReference[];
    const next = edit(refs);
    if (JSON.stringify(next ?? []) === JSON.stringify(refs)) return;
    await this.patchMetadata(id, { ownerReferences: next ?? null, resourceVersion: obj.metadata.resourceVersion });
  }

  /** Removes one finalizer, guarded by the resourceVersion it read. */
  async removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    const obj = await this.live(id);
    if (!obj?.metadata.finalizers?.includes(finalizer)) return;
    const rest = obj.metadata.finalizers.filter((f) => f !== finalizer);
    log.debug('removing finalizer', { obj: ref(id), kind: id.kind, finalizer });
    await this.patchMetadata(id, { finalizers: rest.length ? rest : null, resourceVersion: obj.metadata.resourceVersion });
  }

  private async patchMetadata(id: ObjectIdentity, metadata: Record<string, unknown>): Promise<void> {
    try {
      await this.client.resource(id.gvr!).patch(id.namespace, id.name, 'merge', { metadata });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** Starts the GarbageCollector controller. */
export function startGarbageCollectorController(deps: ControllerDeps): Controller {
  const resources = collectableResources();
  const resolve = kindResolver(resources);
  const graph = new Graph(resolve);
  const port = new GCPort(deps.client);
  const attemptToDelete = new WorkQueue(deps.clock);
  const attemptToOrphan = new WorkQueue(deps.clock);
  const schedule = (w: GraphWork) => {
    for (const uid of w.attemptToDelete) attemptToDelete.add(uid);
    for (const uid of w.attemptToOrphan) attemptToOrphan.add(uid);
  };

  const informers = resources.map((r) => {
    const inf = deps.informers.for(r.gvr);
    inf.on({
      add: (obj) => schedule(graph.upsert(obj, r.gvr)),
      update: (old, obj) => schedule(graph.upsert(obj, r.gvr, old)),
      delete: (obj) => schedule(graph.remove(obj.metadata.uid!)),
    });
    return inf;
  });

  // The live state of what an owner reference names; an owner that cannot be resolved counts as present, as upstream.
  const ownerState = async (dependent: GraphNode, r: OwnerReference): Promise<OwnerState> => {
    const kind = resolve(r.apiVersion, r.kind);
    // A cluster-scoped dependent cannot name a namespaced owner: such a reference never resolves, as upstream.
    if (!kind || (kind.namespaced && !dependent.identity.namespace)) return { ref: r, owner: { metadata: { uid: r.uid } } };
    return { ref: r, owner: await port.live(graph.ownerIdentity(r, dependent.identity.namespace)) };
  };

  const processDeletingDependents = async (node: GraphNode) => {
    const blocking = graph.blockingDependents(node);
    if (!blocking.length) return port.removeFinalizer(node.identity, FOREGROUND_FINALIZER);
    for (const dep of blocking) if (!dep.deletingDependents) attemptToDelete.add(dep.identity.uid);
  };

  const attemptToDeleteItem = async (uid: string) => {
    const node = graph.get(uid);
    if (!node) return;
    if (node.virtual) {
      // Referenced but never seen: if the API has no such object, its dependents are dangling.
      if (!node.identity.gvr) return;
      if (!(await port.live(node.identity))) schedule(graph.remove(uid));
      return;
    }
    if (node.beingDeleted && !node.deletingDependents) return;
    const latest = await port.live(node.identity);
    if (!latest) return schedule(graph.remove(uid));
    if (node.deletingDependents) return processDeletingDependents(node);
    const refs = (latest.metadata.ownerReferences ?? []) as OwnerReference[];
    if (!refs.length) return;
    const classified = classifyReferences(await Promise.all(refs.map((r) => ownerState(node, r))));
    const dependents = [...node.dependents].map((d) => graph.get(d)).filter((d): d is GraphNode => !!d);
    const action = attemptToDeleteAction(latest, classified, dependents.map((d) => ({ uid: d.identity.uid, deletingDependents: d.deletingDependents })));
    switch (action.type) {
      case 'removeOwnerReferences':
        log.debug('removing references to absent or deleting owners', { obj: ref(node.identity), kind: node.identity.kind, owners: action.uids });
        return port.editOwnerReferences(node.identity, (rs) => withoutOwners(rs, action.uids));
      case 'delete':
        for (const depUid of action.unblock) {
          const dep = graph.get(depUid);
          if (dep) await port.editOwnerReferences(dep.identity, (rs) => unblockOwner(rs, uid));
        }
        return port.delete(node.identity, action.policy);
    }
  };

  const attemptToOrphanItem = async (uid: string) => {
    const node = graph.get(uid);
    if (!node || node.virtual) return;
    for (const depUid of [...node.dependents]) {
      const dep = graph.get(depUid);
      if (dep && !dep.virtual) await port.editOwnerReferences(dep.identity, (rs) => withoutOwners(rs, [uid]));
    }
    await port.removeFinalizer(node.identity, ORPHAN_FINALIZER);
  };

  const onError = (queue: string) => (uid: string, err: unknown) => {
    const node = graph.get(uid);
    log.warn('garbage collection failed; retrying', { queue, obj: node ? ref(node.identity) : uid, err: errorMessage(err) });
  };
  void Promise.all(informers.map((i) => i.waitForSync())).then(() => {
    void runWorkers(attemptToDelete, DELETE_WORKERS, attemptToDeleteItem, onError('attemptToDelete'));
    void runWorkers(attemptToOrphan, 1, attemptToOrphanItem, onError('attemptToOrphan'));
  });
  return {
    stop() {
      attemptToDelete.shutdown();
      attemptToOrphan.shutdown();
    },
  };
}
