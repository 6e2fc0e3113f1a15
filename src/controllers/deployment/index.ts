// Deployments: rolling updates and recreates through ReplicaSets, revisions, rollbacks, progress.
import type { Controller, ControllerDeps } from '../types';

/** Starts the Deployment controller. */
export function startDeploymentController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
