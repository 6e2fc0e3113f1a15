// CronJobs: create Jobs on a cron schedule with concurrency policy and history limits.
import { R } from '../../client/types';
import type { Controller, ControllerDeps } from '../types';
import { CronJobController } from './controller';
import type { CronJob, Job } from './reconcile';

/** Upstream's default --concurrent-cron-job-syncs. */
const WORKERS = 5;

/** Starts the CronJob controller. */
export function startCronJobController(deps: ControllerDeps): Controller {
  const c = new CronJobController({
    cronJobs: deps.client.resource<CronJob>(R.cronjobs),
    jobs: deps.client.resource<Job>(R.jobs),
    cronJobInformer: deps.informers.for<CronJob>(R.cronjobs),
    jobInformer: deps.informers.for<Job>(R.jobs),
    recorder: deps.recorder('cronjob-controller'),
    clock: deps.clock,
  });
  void c.run(WORKERS);
  return { stop: () => c.queue.shutdown() };
}
