// The PersistentVolume controller (upstream pkg/controller/volume/persistentvolume): binds claims to volumes, releases and reclaims volumes.
import type { Informer } from '../../../client/informer';
import { keyOf, splitKey } from '../../../client/informer';
import type { EventRecorder } from '../../../client/events';
import { runWorkers, WorkQueue } from '../../../client/work-queue';
import type { Clock } from '../../../util/clock';
import { logger } from '../../../util/log';
import { errorMessage, isConflict, isNotFound } from '../../shared/errors';
import { indexByNamespace, listInNamespace } from '../../shared/informer-index';
import type { Pod } from '../../shared/types';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../types';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_STORAGE_PROVISIONER } from '../types';
import type { ClaimAction, SyncEvent, VolumeAction } from './decide';
import { bindClaimToVolume, bindVolumeToClaim, claimStatusFor, decideClaim, decideReclaim, decideVolume, unboundVolume, volumePhaseStatus } from './decide';
import { claimClass } from './matching';
import { NewestVersions } from './newest';

const log = logger('persistentvolume-controller');

/** upstream --pvclaimbinder-sync-period: every claim and volume is synced again this often. */
export const RESYNC_PERIOD_MS = 15_000;

/** The controller's writes and its live reads. */
export interface PersistentVolumePort {
  updateVolume(pv: PersistentVolume): Promise<PersistentVolume>;
  updateVolumeStatus(pv: PersistentVolume): Promise<PersistentVolume>;
  deleteVolume(name: string): Promise<void>;
  /** The volume as the API server has it now; undefined when it does not exist. */
  getVolume(name: string): Promise<PersistentVolume | undefined>;
  updateClaim(pvc: PersistentVolumeClaim): Promise<PersistentVolumeClaim>;
  updateClaimStatus(pvc: PersistentVolumeClaim): Promise<PersistentVolumeClaim>;
  /** The claim as the API server has it now; undefined when it does not exist. */
  getClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  /** The in-tree hostPath deleter: removes the directory. */
  deleteHostPath(path: string): Promise<void>;
}

/** Everything the controller needs. */
export interface PersistentVolumeControllerOptions {
  volumeInformer: Informer<PersistentVolume>;
  claimInformer: Informer<PersistentVolumeClaim>;
  classInformer: Informer<StorageClass>;
  podInformer: Informer<Pod>;
  port: PersistentVolumePort;
  recorder: EventRecorder;
  clock: Clock;
  resyncPeriodMs?: number;
}

/** Claims used by a pod's volumes: persistentVolumeClaim ones and generic ephemeral ones. */
export function podClaimNames(pod: Pod): string[] {
  const out: string[] = [];
  for (const v of pod.spec.volumes ?? []) {
    if (v.persistentVolumeClaim) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(`${pod.metadata.name}-${v.name}`);
  }
  return out;
}

/** upstream PersistentVolumeController: one queue of claims, one of volumes, one worker each. */
export class PersistentVolumeController {
  readonly claimQueue: WorkQueue;
  readonly volumeQueue: WorkQueue;
  private readonly o: Required<PersistentVolumeControllerOptions>;
  private readonly volumes = new NewestVersions<PersistentVolume>();
  private readonly claims = new NewestVersions<PersistentVolumeClaim>();
  private resync?: { cancel(): void };
  private stopped = false;

  constructor(o: PersistentVolumeControllerOptions) {
    this.o = { ...o, resyncPeriodMs: o.resyncPeriodMs ?? RESYNC_PERIOD_MS };
    this.claimQueue = new WorkQueue(o.clock);
    this.volumeQueue = new WorkQueue(o.clock);
    indexByNamespace(o.podInformer);
    o.volumeInformer.on({
      add: (pv) => this.volumeQueue.add(keyOf(pv)),
      update: (_, pv) => this.volumeQueue.add(keyOf(pv)),
      delete: (pv) => {
        this.volumes.forget(keyOf(pv));
        // The claim bound to it becomes Lost.
        const ref = pv.spec.claimRef;
        if (ref?.name) this.claimQueue.add(`${ref.namespace}/${ref.name}`);
      },
    });
    o.claimInformer.on({
      add: (pvc) => this.claimQueue.add(keyOf(pvc)),
      update: (_, pvc) => this.claimQueue.add(keyOf(pvc)),
      delete: (pvc) => {
        this.claims.forget(keyOf(pvc));
        // Its volume is released.
        if (pvc.spec.volumeName) this.volumeQueue.add(pvc.spec.volumeName);
      },
    });
  }

  /** Runs the workers once the informers have synced, with the periodic resync; resolves when stopped. */
  async run(): Promise<void> {
    const o = this.o;
    await Promise.all([o.volumeInformer.waitForSync(), o.claimInformer.waitForSync(), o.classInformer.waitForSync(), o.podInformer.waitForSync()]);
    if (this.stopped) return;
    this.scheduleResync();
    const onError = (key: string, err: unknown) => log[isConflict(err) ? 'debug' : 'warn']('sync failed; retrying', { obj: key, err: errorMessage(err) });
    await Promise.all([runWorkers(this.claimQueue, 1, (k) => this.syncClaim(k), onError), runWorkers(this.volumeQueue, 1, (k) => this.syncVolume(k), onError)]);
  }

  stop(): void {
    this.stopped = true;
    this.resync?.cancel();
    this.claimQueue.shutdown();
    this.volumeQueue.shutdown();
  }

  private scheduleResync(): void {
    this.resync = this.o.clock.setTimeout(() => {
      if (this.stopped) return;
      for (const pvc of this.o.claimInformer.list()) this.claimQueue.add(keyOf(pvc));
      for (const pv of this.o.volumeInformer.list()) this.volumeQueue.add(keyOf(pv));
      this.scheduleResync();
    }, this.o.resyncPeriodMs);
  }

  private volume(name: string): PersistentVolume | undefined {
    return this.volumes.pick(name, this.o.volumeInformer.get(name));
  }

  private claim(key: string): PersistentVolumeClaim | undefined {
    return this.claims.pick(key, this.o.claimInformer.get(key));
  }

  private event(obj: PersistentVolume | PersistentVolumeClaim, e: SyncEvent): void {
    this.o.recorder.event(obj, e.type, e.reason, e.message);
  }

  /** upstream syncClaim. */
  async syncClaim(key: string): Promise<void> {
    const claim = this.claim(key);
    if (!claim) return;
    const { namespace, name } = splitKey(key);
    let action: ClaimAction;
    try {
      action = decideClaim(claim, {
        volumes: this.o.volumeInformer.list().map((v) => this.volume(keyOf(v))!).filter(Boolean),
        volume: (n) => this.volume(n),
        classes: this.o.classInformer.list(),
        unscheduledPods: listInNamespace(this.o.podInformer, namespace)
          .filter((p) => !p.spec.nodeName && podClaimNames(p).includes(name))
          .map((p) => p.metadata.name!)
          .sort(),
      });
    } catch (e) {
      // A class without a binding mode: nothing changes until the class does (the resync retries).
      log.warn('cannot sync claim', { obj: key, err: errorMessage(e) });
      return;
    }
    switch (action.kind) {
      case 'bind':
        return this.bind(action.volume, claim);
      case 'pending':
        if (action.event) this.event(claim, action.event);
        return this.setClaimPhase(claim, 'Pending', undefined);
      case 'lost':
        return this.setClaimPhase(claim, 'Lost', undefined, action.event);
      case 'assignDefaultClass': {
        const next = structuredClone(claim);
        next.spec.storageClassName = action.className;
        this.claims.remember(key, await this.o.port.updateClaim(next));
        log.info('Assigned StorageClass to PersistentVolumeClaim', { obj: key, storageClassName: action.className });
        return;
      }
      case 'provision':
        return this.provisionClaim(claim);
      case 'fail':
        this.event(claim, action.event);
        throw new Error(action.error);
    }
  }

  /** upstream provisionClaimOperation without in-tree provisioners: an external provisioner is asked through the claim's annotations. */
  private async provisionClaim(claim: PersistentVolumeClaim): Promise<void> {
    const className = claimClass(claim);
    const sc = this.o.classInformer.get(className);
    if (!sc) return this.event(claim, { type: 'Warning', reason: 'ProvisioningFailed', message: `storageclass.storage.k8s.io "${className}" not found` });
    const provisioner = sc.provisioner;
    // Every in-tree ("kubernetes.io/…") provisioner is a plugin tugboat does not have, kubernetes.io/no-provisioner included.
    if (provisioner.startsWith('kubernetes.io/')) return this.event(claim, { type: 'Warning', reason: 'ProvisioningFailed', message: `no volume plugin matched name: ${provisioner}` });
    const ann = claim.metadata.annotations ?? {};
    if (ann[ANN_STORAGE_PROVISIONER] !== provisioner || ann[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
      const next = structuredClone(claim);
      next.metadata.annotations = { ...ann, [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner };
      claim = await this.o.port.updateClaim(next);
      this.claims.remember(keyOf(claim), claim);
    }
    this.event(claim, {
      type: 'Normal',
      reason: 'ExternalProvisioning',
      message: `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    });
  }

  /** upstream bind: volume → claim reference, volume phase Bound, claim → volume name, claim phase Bound; each step skipped when done. */
  private async bind(volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
    const vKey = keyOf(volume);
    const cKey = keyOf(claim);
    const v1 = bindVolumeToClaim(volume, claim);
    if (v1) {
      volume = await this.o.port.updateVolume(v1);
      this.volumes.remember(vKey, volume);
    }
    const vs = volumePhaseStatus(volume, 'Bound', '', this.o.clock.now());
    if (vs) {
      volume = await this.o.port.updateVolumeStatus({ ...volume, status: vs });
      this.volumes.remember(vKey, volume);
    }
    const c1 = bindClaimToVolume(claim, volume);
    if (c1) {
      claim = await this.o.port.updateClaim(c1);
      this.claims.remember(cKey, claim);
    }
    await this.setClaimPhase(claim, 'Bound', volume);
    if (v1 || c1) log.info('bound claim to volume', { obj: cKey, volume: vKey });
  }

  /** upstream updateClaimStatus(WithEvent): the event only when the phase changes. */
  private async setClaimPhase(claim: PersistentVolumeClaim, phase: string, volume: PersistentVolume | undefined, event?: SyncEvent): Promise<void> {
    const status = claimStatusFor(claim, phase, volume);
    if (!status) return;
    const updated = await this.o.port.updateClaimStatus({ ...claim, status });
    this.claims.remember(keyOf(updated), updated);
    if (event && claim.status?.phase !== phase) this.event(updated, event);
  }

  /** upstream updateVolumePhase(WithEvent); returns the volume as written. */
  private async setVolumePhase(volume: PersistentVolume, phase: string, message = '', event?: SyncEvent): Promise<PersistentVolume> {
    const status = volumePhaseStatus(volume, phase, message, this.o.clock.now());
    if (!status) return volume;
    const updated = await this.o.port.updateVolumeStatus({ ...volume, status });
    this.volumes.remember(keyOf(updated), updated);
    if (event) this.event(updated, event);
    return updated;
  }

  /** upstream syncVolume. */
  async syncVolume(key: string): Promise<void> {
    const volume = this.volume(key);
    if (!volume) return;
    const claim = await this.claimOf(volume);
    const action: VolumeAction = decideVolume(volume, claim);
    switch (action.kind) {
      case 'phase': {
        const was = volume.status?.phase;
        await this.setVolumePhase(volume, action.phase);
        // Claims waiting for a volume need not wait for the resync to see this one.
        if (action.phase === 'Available' && was !== 'Available') for (const c of this.o.claimInformer.list()) if (!c.spec.volumeName) this.claimQueue.add(keyOf(c));
        return;
      }
      case 'syncClaim':
        this.claimQueue.add(keyOf(claim!));
        return;
      case 'modeMismatch':
        this.event(volume, action.volumeEvent);
        this.event(claim!, action.claimEvent);
        return;
      case 'unbind': {
        const updated = await this.o.port.updateVolume(unboundVolume(volume));
        this.volumes.remember(key, updated);
        await this.setVolumePhase(updated, 'Available');
        return;
      }
      case 'release': {
        const released = volume.status?.phase === 'Released' || volume.status?.phase === 'Failed' ? volume : await this.setVolumePhase(volume, 'Released');
        return this.reclaimVolume(released);
      }
    }
  }

  /**
   * The claim the volume's claimRef names, by name then UID: looked up live when missing from the cache (a claim created by
   * another binder may not have arrived yet), so a volume is never released by mistake.
   */
  private async claimOf(volume: PersistentVolume): Promise<PersistentVolumeClaim | undefined> {
    const ref = volume.spec.claimRef;
    if (!ref?.uid) return undefined;
    const cKey = `${ref.namespace}/${ref.name}`;
    let claim = this.claim(cKey);
    const phase = volume.status?.phase;
    if (!claim && phase !== 'Released' && phase !== 'Failed') claim = await this.o.port.getClaim(ref.namespace ?? '', ref.name ?? '');
    // A claim with the same name but another UID replaced the one the volume was bound to; check the API in case the cache lags.
    if (claim && claim.metadata.uid !== ref.uid) {
      claim = await this.o.port.getClaim(ref.namespace ?? '', ref.name ?? '');
      if (claim?.metadata.uid !== ref.uid) claim = undefined;
    }
    return claim;
  }

  /** upstream reclaimVolume for a Released volume. */
  private async reclaimVolume(volume: PersistentVolume): Promise<void> {
    const reclaim = decideReclaim(volume);
    const key = keyOf(volume);
    switch (reclaim.kind) {
      case 'retain':
      case 'external':
        return;
      case 'fail':
        if (volume.status?.phase === 'Failed') return;
        await this.setVolumePhase(volume, 'Failed', reclaim.message, { type: 'Warning', reason: reclaim.reason, message: reclaim.message });
        return;
      case 'deleteHostPath': {
        // upstream deleteVolumeOperation: only a volume still released from the same claim (read live) is deleted.
        const live = await this.o.port.getVolume(key);
        if (volume.status?.phase !== 'Released' || !live?.spec.claimRef?.uid || live.spec.claimRef.uid !== volume.spec.claimRef?.uid) return;
        try {
          await this.o.port.deleteHostPath(reclaim.path);
        } catch (e) {
          await this.setVolumePhase(volume, 'Failed', errorMessage(e), { type: 'Warning', reason: 'VolumeFailedDelete', message: errorMessage(e) });
          return;
        }
        await this.o.port.deleteVolume(key).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
        log.info('deleted volume', { obj: key, path: reclaim.path });
      }
    }
  }
}
