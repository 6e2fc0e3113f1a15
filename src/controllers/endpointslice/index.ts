// EndpointSlices: the discovery.k8s.io view of each service's pods.
import type { Controller, ControllerDeps } from '../types';

/** Starts the EndpointSlice controller. */
export function startEndpointSliceController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
