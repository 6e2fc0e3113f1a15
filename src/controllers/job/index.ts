// Jobs: run pods to completion with parallelism, backoff (per Job or per index), podFailurePolicy, deadlines, indexes and TTL.
import { R } from '../../client/types';
import { realPodControl } from '../shared/pod-control';
import type { Pod } from '../shared/types';
import type { Controller, ControllerDeps } from '../types';
import type { Job } from './conditions';
import { JobController } from './controller';
import { TtlAfterFinishedController } from './ttl';

/** Upstream's default --concurrent-job-syncs. */
const WORKERS = 5;

/** Starts the Job controller and the TTL-after-finished controller. */
export function startJobController(deps: ControllerDeps): Controller {
  const recorder = deps.recorder('job-controller');
  const jobs = deps.client.resource<Job>(R.jobs);
  const jobInformer = deps.informers.for<Job>(R.jobs);
  const c = new JobController({
    jobs,
    pods: deps.client.resource<Pod>(R.pods),
    jobInformer,
    podInformer: deps.informers.for<Pod>(R.pods),
    podControl: realPodControl(deps.client, recorder),
    recorder,
    clock: deps.clock,
  });
  const ttl = new TtlAfterFinishedController({ jobs, jobInformer, clock: deps.clock });
  void c.run(WORKERS);
  void ttl.run();
  return {
    stop() {
      c.stop();
      ttl.queue.shutdown();
    },
  };
}
