// DaemonSets: one pod on every eligible node, rolling updates.
import { R } from '../../client/types';
import { realPodControl } from '../shared/pod-control';
import type { Revision } from '../shared/history';
import type { Pod } from '../shared/types';
import type { Controller, ControllerDeps } from '../types';
import { DaemonSetController } from './controller';
import type { DaemonSet, Node } from './eligibility';

/** Upstream's default --concurrent-daemonset-syncs. */
const WORKERS = 2;

/** Starts the DaemonSet controller. */
export function startDaemonSetController(deps: ControllerDeps): Controller {
  const recorder = deps.recorder('daemonset-controller');
  const c = new DaemonSetController({
    daemonSets: deps.client.resource<DaemonSet>(R.daemonsets),
    pods: deps.client.resource<Pod>(R.pods),
    revisions: deps.client.resource<Revision>(R.controllerrevisions),
    dsInformer: deps.informers.for<DaemonSet>(R.daemonsets),
    podInformer: deps.informers.for<Pod>(R.pods),
    nodeInformer: deps.informers.for<Node>(R.nodes),
    revisionInformer: deps.informers.for<Revision>(R.controllerrevisions),
    podControl: realPodControl(deps.client, recorder),
    recorder,
    clock: deps.clock,
  });
  void c.run(WORKERS);
  return { stop: () => c.queue.shutdown() };
}
