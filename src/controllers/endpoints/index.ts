// Endpoints: the ready and not-ready addresses of each service's pods.
import type { Controller, ControllerDeps } from '../types';

/** Starts the Endpoints controller. */
export function startEndpointsController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
