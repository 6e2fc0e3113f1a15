// Starts the pvc-protection and pv-protection controllers over the API.
import { R } from '../../../client/types';
import type { Pod } from '../../shared/types';
import type { Controller, ControllerDeps } from '../../types';
import type { PersistentVolume, PersistentVolumeClaim } from '../types';
import { PVProtectionController } from './pv-protection';
import { PVCProtectionController } from './pvc-protection';

/** Starts the pvc-protection controller. */
export function startPVCProtectionController(deps: ControllerDeps): Controller {
  const pvcs = deps.client.resource<PersistentVolumeClaim>(R.persistentvolumeclaims);
  const pods = deps.client.resource<Pod>(R.pods);
  const c = new PVCProtectionController(
    deps.informers.for<PersistentVolumeClaim>(R.persistentvolumeclaims),
    deps.informers.for<Pod>(R.pods),
    {
      updateClaim: async (pvc) => void (await pvcs.update(pvc.metadata.namespace!, pvc)),
      listPods: async (namespace) => (await pods.list(namespace)).items,
    },
    deps.clock,
  );
  void c.run();
  return { stop: () => c.stop() };
}

/** Starts the pv-protection controller. */
export function startPVProtectionController(deps: ControllerDeps): Controller {
  const pvs = deps.client.resource<PersistentVolume>(R.persistentvolumes);
  const c = new PVProtectionController(deps.informers.for<PersistentVolume>(R.persistentvolumes), async (pv) => void (await pvs.update('', pv)), deps.clock);
  void c.run();
  return { stop: () => c.stop() };
}
