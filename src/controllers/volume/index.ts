// The volume controllers of kube-controller-manager: the PersistentVolume binder and the pvc/pv protection controllers.
import type { Controller, ControllerDeps } from '../types';
import { startPersistentVolumeController } from './persistentvolume';
import { startPVCProtectionController, startPVProtectionController } from './protection';

/** Starts the PersistentVolume controller and both protection controllers. */
export function startVolumeControllers(deps: ControllerDeps): Controller {
  const running = [startPersistentVolumeController(deps), startPVCProtectionController(deps), startPVProtectionController(deps)];
  return { stop: () => running.forEach((c) => c.stop()) };
}
