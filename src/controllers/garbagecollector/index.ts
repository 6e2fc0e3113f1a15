// The garbage collector: deletes dependents of deleted owners (background, foreground, orphan).
import type { Controller, ControllerDeps } from '../types';

/** Starts the GarbageCollector controller. */
export function startGarbageCollectorController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
