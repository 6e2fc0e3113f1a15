// PodDisruptionBudget status: healthy pods, allowed disruptions.
import type { Controller, ControllerDeps } from '../types';

/** Starts the Disruption controller. */
export function startDisruptionController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
