// Starts the PersistentVolume controller over the API: the port, the deleter and the informers.
import { rm } from 'node:fs/promises';
import type { Client } from '../../../client/types';
import { R } from '../../../client/types';
import { isNotFound } from '../../shared/errors';
import type { Pod } from '../../shared/types';
import type { Controller, ControllerDeps } from '../../types';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../types';
import type { PersistentVolumeControllerOptions, PersistentVolumePort } from './controller';
import { PersistentVolumeController } from './controller';

/** The controller's port over the API; the hostPath deleter removes the directory on this host, as upstream's does in kube-controller-manager. */
export function apiPersistentVolumePort(client: Client): PersistentVolumePort {
  const pvs = client.resource<PersistentVolume>(R.persistentvolumes);
  const pvcs = client.resource<PersistentVolumeClaim>(R.persistentvolumeclaims);
  return {
    updateVolume: (pv) => pvs.update('', pv),
    updateVolumeStatus: (pv) => pvs.updateStatus('', pv),
    deleteVolume: (name) => pvs.delete('', name),
    getVolume: (name) => pvs.get('', name).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e))),
    updateClaim: (pvc) => pvcs.update(pvc.metadata.namespace!, pvc),
    updateClaimStatus: (pvc) => pvcs.updateStatus(pvc.metadata.namespace!, pvc),
    getClaim: (namespace, name) => pvcs.get(namespace, name).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e))),
    deleteHostPath: (path) => rm(path, { recursive: true, force: true }),
  };
}

/** Starts the PersistentVolume controller (options override the port or the resync period, for tests). */
export function startPersistentVolumeController(deps: ControllerDeps, options: Partial<Pick<PersistentVolumeControllerOptions, 'port' | 'resyncPeriodMs'>> = {}): Controller {
  const c = new PersistentVolumeController({
    volumeInformer: deps.informers.for<PersistentVolume>(R.persistentvolumes),
    claimInformer: deps.informers.for<PersistentVolumeClaim>(R.persistentvolumeclaims),
    classInformer: deps.informers.for<StorageClass>(R.storageclasses),
    podInformer: deps.informers.for<Pod>(R.pods),
    port: options.port ?? apiPersistentVolumePort(deps.client),
    recorder: deps.recorder('persistentvolume-controller'),
    clock: deps.clock,
    resyncPeriodMs: options.resyncPeriodMs,
  });
  void c.run();
  return { stop: () => c.stop() };
}
