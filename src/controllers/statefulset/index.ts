// StatefulSets: ordered, stable pods with their own claims, rolling updates with partitions.
import { R } from '../../client/types';
import type { Revision } from '../shared/history';
import type { Pod } from '../shared/types';
import type { Controller, ControllerDeps } from '../types';
import { StatefulSetController } from './controller';
import type { Claim, StatefulSet } from './identity';

/** Upstream's default --concurrent-statefulset-syncs. */
const WORKERS = 5;

/** Starts the StatefulSet controller. */
export function startStatefulSetController(deps: ControllerDeps): Controller {
  const c = new StatefulSetController({
    sets: deps.client.resource<StatefulSet>(R.statefulsets),
    pods: deps.client.resource<Pod>(R.pods),
    claims: deps.client.resource<Claim>(R.persistentvolumeclaims),
    revisions: deps.client.resource<Revision>(R.controllerrevisions),
    setInformer: deps.informers.for<StatefulSet>(R.statefulsets),
    podInformer: deps.informers.for<Pod>(R.pods),
    claimInformer: deps.informers.for<Claim>(R.persistentvolumeclaims),
    revisionInformer: deps.informers.for<Revision>(R.controllerrevisions),
    recorder: deps.recorder('statefulset-controller'),
    clock: deps.clock,
  });
  void c.run(WORKERS);
  return { stop: () => c.queue.shutdown() };
}
