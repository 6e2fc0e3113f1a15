// DaemonSets: one pod on every eligible node, rolling updates.
import type { Controller, ControllerDeps } from '../types';

/** Starts the DaemonSet controller. */
export function startDaemonSetController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
