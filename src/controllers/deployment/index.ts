// Deployments: rolling updates and recreates through ReplicaSets, revisions, rollbacks, progress.
import { R } from '../../client/types';
import type { Deployment, Pod, ReplicaSet } from '../shared/types';
import type { Controller, ControllerDeps } from '../types';
import { DeploymentController } from './controller';
import { realDeploymentPort } from './port';

/** Upstream's default --concurrent-deployment-syncs. */
const WORKERS = 5;

/** Starts the Deployment controller. */
export function startDeploymentController(deps: ControllerDeps): Controller {
  const c = new DeploymentController({
    deployments: deps.client.resource<Deployment>(R.deployments),
    replicaSets: deps.client.resource<ReplicaSet>(R.replicasets),
    dInformer: deps.informers.for<Deployment>(R.deployments),
    rsInformer: deps.informers.for<ReplicaSet>(R.replicasets),
    podInformer: deps.informers.for<Pod>(R.pods),
    port: realDeploymentPort(deps.client),
    recorder: deps.recorder('deployment-controller'),
    clock: deps.clock,
  });
  void c.run(WORKERS);
  return { stop: () => c.queue.shutdown() };
}
