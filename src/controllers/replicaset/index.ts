// ReplicaSets: keep the desired number of pods, adopt and release pods by selector.
import { R } from '../../client/types';
import { realPodControl } from '../shared/pod-control';
import type { Pod, ReplicaSet } from '../shared/types';
import type { Controller, ControllerDeps } from '../types';
import { ReplicaSetController } from './controller';

/** Upstream's default --concurrent-replicaset-syncs. */
const WORKERS = 5;

/** Starts the ReplicaSet controller. */
export function startReplicaSetController(deps: ControllerDeps): Controller {
  const recorder = deps.recorder('replicaset-controller');
  const c = new ReplicaSetController({
    replicaSets: deps.client.resource<ReplicaSet>(R.replicasets),
    pods: deps.client.resource<Pod>(R.pods),
    rsInformer: deps.informers.for<ReplicaSet>(R.replicasets),
    podInformer: deps.informers.for<Pod>(R.pods),
    podControl: realPodControl(deps.client, recorder),
    clock: deps.clock,
  });
  void c.run(WORKERS);
  return { stop: () => c.queue.shutdown() };
}
