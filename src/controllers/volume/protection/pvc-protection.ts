// The pvc-protection controller: keeps kubernetes.io/pvc-protection on claims, and removes it from a deleted claim once no pod uses it.
import type { Informer } from '../../../client/informer';
import { keyOf } from '../../../client/informer';
import { runWorkers, WorkQueue } from '../../../client/work-queue';
import type { Clock } from '../../../util/clock';
import { logger } from '../../../util/log';
import { errorMessage, isConflict, isNotFound } from '../../shared/errors';
import { indexByNamespace, listInNamespace } from '../../shared/informer-index';
import type { Pod } from '../../shared/types';
import type { PersistentVolumeClaim } from '../types';
import { PVC_PROTECTION_FINALIZER } from '../types';
import { isDeletionCandidate, needToAddFinalizer, podUsesClaim, withFinalizer } from './decide';

const log = logger('pvc-protection-controller');

/** The controller's write and its live read. */
export interface PVCProtectionPort {
  updateClaim(pvc: PersistentVolumeClaim): Promise<void>;
  /** Pods of a namespace as the API server has them now. */
  listPods(namespace: string): Promise<Pod[]>;
}

/** upstream pvcprotection.Controller. */
export class PVCProtectionController {
  readonly queue: WorkQueue;

  constructor(
    private readonly claims: Informer<PersistentVolumeClaim>,
    private readonly pods: Informer<Pod>,
    private readonly port: PVCProtectionPort,
    clock: Clock,
  ) {
    this.queue = new WorkQueue(clock);
    indexByNamespace(pods);
    const onClaim = (pvc: PersistentVolumeClaim) => {
      if (needToAddFinalizer(pvc, PVC_PROTECTION_FINALIZER) || isDeletionCandidate(pvc, PVC_PROTECTION_FINALIZER)) this.queue.add(keyOf(pvc));
    };
    claims.on({ add: onClaim, update: (_, pvc) => onClaim(pvc) });
    // A pod that goes away (or shuts down) may free the claims it used.
    const onPod = (pod: Pod) => {
      for (const v of pod.spec.volumes ?? []) {
        const name = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pod.metadata.name}-${v.name}` : undefined);
        if (name) this.queue.add(`${pod.metadata.namespace}/${name}`);
      }
    };
    pods.on({ update: (_, pod) => onPod(pod), delete: onPod });
  }

  /** Runs one worker once the informers have synced. */
  async run(): Promise<void> {
    await Promise.all([this.claims.waitForSync(), this.pods.waitForSync()]);
    await runWorkers(this.queue, 1, (k) => this.sync(k), (key, err) => log[isConflict(err) ? 'debug' : 'warn']('sync failed; retrying', { obj: key, err: errorMessage(err) }));
  }

  stop(): void {
    this.queue.shutdown();
  }

  /** upstream processPVC. */
  async sync(key: string): Promise<void> {
    const pvc = this.claims.get(key);
    if (!pvc) return;
    if (isDeletionCandidate(pvc, PVC_PROTECTION_FINALIZER)) {
      if (await this.isBeingUsed(pvc)) return log.debug('keeping PVC because it is being used', { obj: key });
      await this.update(withFinalizer(pvc, PVC_PROTECTION_FINALIZER, false));
      log.info('removed protection finalizer from PVC', { obj: key });
      return;
    }
    if (needToAddFinalizer(pvc, PVC_PROTECTION_FINALIZER)) await this.update(withFinalizer(pvc, PVC_PROTECTION_FINALIZER, true));
  }

  private async update(pvc: PersistentVolumeClaim): Promise<void> {
    await this.port.updateClaim(pvc).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
  }

  /** upstream isBeingUsed: the cache first, then a live list, since a pod the cache has not seen yet may already use the claim. */
  private async isBeingUsed(pvc: PersistentVolumeClaim): Promise<boolean> {
    const ns = pvc.metadata.namespace!;
    if (listInNamespace(this.pods, ns).some((p) => podUsesClaim(p, pvc))) return true;
    return (await this.port.listPods(ns)).some((p) => podUsesClaim(p, pvc));
  }
}
