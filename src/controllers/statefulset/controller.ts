// The StatefulSet controller: handlers enqueue set keys; sync(key) claims pods, settles revisions, carries out the planned actions, writes status.
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { EventRecorder } from '../../client/events';
import type { Informer } from '../../client/informer';
import { keyOf, splitKey } from '../../client/informer';
import type { ResourceClient } from '../../client/types';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import { labelSelectorFromObject, matchesLabels } from '../../machinery/labels';
import type { Clock } from '../../util/clock';
import { logger } from '../../util/log';
import { claimObjects, getControllerOf, recheckOwner } from '../shared/controller-ref';
import { errorMessage, isAlreadyExists, isNotFound } from '../shared/errors';
import { indexByNamespace, listInNamespace, resolveControllerRef } from '../shared/informer-index';
import { isPodReady } from '../shared/pod-util';
import type { Pod } from '../shared/types';
import { hashControllerRevision } from '../shared/hash';
import type { Revision } from '../shared/history';
import { equalRevision, findUpdateRevision, newControllerRevision, nextRevision, ownedRevisions, revisionsToTruncate, templateOfRevision, templatePatch } from '../shared/history';
import type { Claim, StatefulSet } from './identity';
import { getPodRevision, isMemberOf, STATEFULSET_KIND } from './identity';
import type { Action, RevisionRef } from './reconcile';
import { calculateStatus, planStatefulSet, statusNeedsUpdate } from './reconcile';

const log = logger('statefulset-controller');

/** Everything the controller needs; tests pass clients and informers of a test API server. */
export interface StatefulSetControllerOptions {
  sets: ResourceClient<StatefulSet>;
  pods: ResourceClient<Pod>;
  claims: ResourceClient<Claim>;
  revisions: ResourceClient<Revision>;
  setInformer: Informer<StatefulSet>;
  podInformer: Informer<Pod>;
  claimInformer: Informer<Claim>;
  revisionInformer: Informer<Revision>;
  recorder: EventRecorder;
  clock: Clock;
}

/** Keeps each StatefulSet's ordered pods, their claims and its revisions in line with its spec. */
export class StatefulSetController {
  readonly queue: WorkQueue;
  private readonly o: StatefulSetControllerOptions;

  constructor(o: StatefulSetControllerOptions) {
    this.o = o;
    this.queue = new WorkQueue(o.clock);
    indexByNamespace(o.setInformer);
    indexByNamespace(o.podInformer);
    indexByNamespace(o.claimInformer);
    indexByNamespace(o.revisionInformer);
    o.setInformer.on({ add: (s) => this.enqueue(s), update: (_, s) => this.enqueue(s), delete: (s) => this.enqueue(s) });
    o.podInformer.on({ add: (p) => this.podChanged(p), update: (a, b) => this.podUpdated(a, b), delete: (p) => this.podChanged(p) });
  }

  /** Starts workers once the informers have synced; resolves when the queue shuts down. */
  async run(workers: number): Promise<void> {
    await Promise.all([this.o.setInformer, this.o.podInformer, this.o.claimInformer, this.o.revisionInformer].map((i) => i.waitForSync()));
    await runWorkers(this.queue, workers, (key) => this.sync(key), (key, err) => log.warn('sync failed; retrying', { obj: key, err: errorMessage(err) }));
  }

  /** Reconciles one StatefulSet by key. */
  async sync(key: string): Promise<void> {
    const set = this.o.setInformer.get(key);
    if (!set) return;
    const ns = splitKey(key).namespace;
    const selector = labelSelectorFromObject(set.spec.selector);
    const pods = await claimObjects(
      listInNamespace(this.o.podInformer, ns).filter((p) => isMemberOf(set, p)),
      {
        owner: set,
        kind: STATEFULSET_KIND,
        selector,
        objectKind: 'Pod',
        patch: (n, name, patch) => this.o.pods.patch(n, name, 'strategic', patch),
        canAdopt: () => recheckOwner(set, () => this.o.sets.get(ns, set.metadata.name!)),
      },
    );
    const revisions = ownedRevisions(listInNamespace(this.o.revisionInformer, ns), set);
    const { update, collisionCount } = await this.updateRevision(set, revisions);
    const currentRev = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    const current: RevisionRef = { name: currentRev.metadata.name!, template: (templateOfRevision(currentRev) as RevisionRef['template']) ?? set.spec.template };
    const updateRef: RevisionRef = { name: update.metadata.name!, template: set.spec.template };
    const claims = new Map(listInNamespace(this.o.claimInformer, ns).map((c) => [c.metadata.name!, c]));
    const actions = planStatefulSet({ set, pods, claims, current, update: updateRef, now: this.o.clock.now() });
    let actionErr: unknown;
    try {
      for (const a of actions) await this.act(set, a, claims);
    } catch (e) {
      actionErr = e;
    }
    const status = calculateStatus(set, pods, current.name, updateRef.name, collisionCount, this.o.clock.now());
    await this.writeStatus(set, status);
    const live = new Set([current.name, updateRef.name, ...pods.map(getPodRevision)]);
    for (const r of revisionsToTruncate(revisions, live, set.spec.revisionHistoryLimit ?? 10)) {
      await this.o.revisions.delete(ns, r.metadata.name!).catch((e) => {
        if (!isNotFound(e)) throw e;
      });
    }
    // Pods turn available minReadySeconds after turning ready, with no event to say so.
    const minReady = set.spec.minReadySeconds ?? 0;
    if (minReady > 0 && (status.readyReplicas ?? 0) !== (status.availableReplicas ?? 0)) this.queue.addAfter(key, minReady * 1000);
    if (actionErr !== undefined) throw actionErr;
  }

  /** upstream getStatefulSetRevisions: the revision of the current template, created (or renumbered) as needed. */
  private async updateRevision(set: StatefulSet, sorted: Revision[]): Promise<{ update: Revision; collisionCount: number }> {
    let collisionCount = set.status?.collisionCount ?? 0;
    const data = templatePatch(set.spec.template);
    const labels = set.spec.template.metadata?.labels;
    const candidate = newControllerRevision(set, STATEFULSET_KIND, labels, data, nextRevision(sorted), hashControllerRevision(data, collisionCount));
    const found = findUpdateRevision(sorted, candidate);
    const ns = set.metadata.namespace!;
    if ('reuse' in found) return { update: found.reuse, collisionCount };
    if ('bump' in found) return { update: await this.o.revisions.update(ns, { ...found.bump, revision: candidate.revision }), collisionCount };
    for (;;) {
      const rev = newControllerRevision(set, STATEFULSET_KIND, labels, data, candidate.revision, hashControllerRevision(data, collisionCount));
      try {
        return { update: await this.o.revisions.create(ns, rev), collisionCount };
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        const existing = await this.o.revisions.get(ns, rev.metadata.name!);
        if (equalRevision(existing, rev)) return { update: existing, collisionCount };
        collisionCount++;
      }
    }
  }

  /** Carries out one planned action, recording upstream's events. */
  private async act(set: StatefulSet, a: Action, claims: Map<string, Claim>): Promise<void> {
    const ns = set.metadata.namespace!;
    const name = a.type === 'claimRefs' ? '' : a.pod.metadata.name!;
    switch (a.type) {
      case 'create':
        try {
          await this.createClaims(set, a.pod, a.claims, claims);
        } catch (e) {
          this.podEvent(set, 'create', name, e);
          throw e;
        }
        try {
          await this.o.pods.create(ns, a.pod);
        } catch (e) {
          // Our own earlier create not yet seen through the watch: no event, just look again.
          if (!isAlreadyExists(e)) this.podEvent(set, 'create', name, e);
          throw e;
        }
        this.podEvent(set, 'create', name);
        return;
      case 'createClaims':
        return this.createClaims(set, a.pod, a.claims, claims);
      case 'delete':
        if (a.reason === 'failed') this.o.recorder.event(set, 'Warning', 'RecreatingFailedPod', `StatefulSet ${ns}/${set.metadata.name} is recreating failed Pod ${name}`);
        if (a.reason === 'succeeded')
          this.o.recorder.event(set, 'Normal', 'RecreatingTerminatedPod', `StatefulSet ${ns}/${set.metadata.name} is recreating terminated Pod ${name}`);
        log.info('deleting pod', { obj: `${ns}/${name}`, reason: a.reason });
        try {
          await this.o.pods.delete(ns, name);
        } catch (e) {
          this.podEvent(set, 'delete', name, e);
          if (a.reason === 'update' && isNotFound(e)) return;
          throw e;
        }
        this.podEvent(set, 'delete', name);
        return;
      case 'update':
        try {
          await this.createClaims(set, a.pod, a.claims, claims);
          await this.o.pods.update(ns, a.pod);
        } catch (e) {
          this.podEvent(set, 'update', name, e);
          throw e;
        }
        this.podEvent(set, 'update', name);
        return;
      case 'claimRefs':
        await this.o.claims.update(ns, { ...a.claim, metadata: { ...a.claim.metadata, ownerReferences: a.ownerReferences } });
        return;
    }
  }

  /** upstream createPersistentVolumeClaims: creates the missing claims; a claim being deleted blocks the pod. */
  private async createClaims(set: StatefulSet, pod: Pod, missing: Claim[], existing: Map<string, Claim>): Promise<void> {
    const podName = pod.metadata.name!;
    for (const volume of pod.spec.volumes ?? []) {
      const c = volume.persistentVolumeClaim && existing.get(volume.persistentVolumeClaim.claimName);
      if (c?.metadata.deletionTimestamp) throw new Error(`pvc ${c.metadata.name} is being deleted`);
    }
    const errors: string[] = [];
    for (const claim of missing) {
      const claimName = claim.metadata.name!;
      try {
        await this.o.claims.create(set.metadata.namespace!, claim);
        this.o.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claimName} Pod ${podName} in StatefulSet ${set.metadata.name} success`);
      } catch (e) {
        if (isAlreadyExists(e)) continue;
        this.o.recorder.event(
          set,
          'Warning',
          'FailedCreate',
          `create Claim ${claimName} for Pod ${podName} in StatefulSet ${set.metadata.name} failed error: ${errorMessage(e)}`,
        );
        errors.push(`failed to create PVC ${claimName}: ${errorMessage(e)}`);
      }
    }
    if (errors.length) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  }

  /** upstream recordPodEvent. */
  private podEvent(set: StatefulSet, verb: 'create' | 'update' | 'delete', pod: string, err?: unknown): void {
    const title = verb[0].toUpperCase() + verb.slice(1);
    if (err === undefined) this.o.recorder.event(set, 'Normal', `Successful${title}`, `${verb} Pod ${pod} in StatefulSet ${set.metadata.name} successful`);
    else this.o.recorder.event(set, 'Warning', `Failed${title}`, `${verb} Pod ${pod} in StatefulSet ${set.metadata.name} failed error: ${errorMessage(err)}`);
  }

  /** Writes the status when it changed; one retry on a fresh copy after a failure. */
  private async writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    if (!statusNeedsUpdate(set, status)) return;
    const ns = set.metadata.namespace!;
    try {
      await this.o.sets.updateStatus(ns, { ...set, status });
    } catch (e) {
      if (isNotFound(e)) return;
      const fresh = await this.o.sets.get(ns, set.metadata.name!);
      await this.o.sets.updateStatus(ns, { ...fresh, status });
    }
  }

  private enqueue(set: StatefulSet): void {
    this.queue.add(keyOf(set));
  }

  /** The set a pod's controller ref points at, when it exists and is the same object. */
  private ownerOf(pod: Pod): StatefulSet | undefined {
    return resolveControllerRef(this.o.setInformer, STATEFULSET_KIND, pod.metadata.namespace ?? '', getControllerOf(pod));
  }

  private podChanged(pod: Pod): void {
    const owner = this.ownerOf(pod);
    if (owner) return this.enqueue(owner);
    if (getControllerOf(pod)) return;
    // An orphan: every set that could adopt it looks at it.
    for (const set of listInNamespace(this.o.setInformer, pod.metadata.namespace ?? '')) {
      const sel = labelSelectorFromObject(set.spec.selector);
      if (sel.length && matchesLabels(sel, pod.metadata.labels) && isMemberOf(set, pod)) this.enqueue(set);
    }
  }

  private podUpdated(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    this.podChanged(cur);
    if (getControllerOf(old)?.uid !== getControllerOf(cur)?.uid) this.podChanged(old);
    const owner = this.ownerOf(cur);
    const minReady = owner?.spec.minReadySeconds ?? 0;
    if (owner && minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(keyOf(owner), minReady * 1000 + 1000);
  }
}
