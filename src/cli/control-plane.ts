// The control plane of `tugboat up`: controllers, scheduler and simulated kubelets, wired to the in-process client.
import type { ApiServer } from '../apiserver/server';
import { eventRecorder } from '../client/events';
import { SharedInformers } from '../client/shared-informers';
import type { Controller, ControllerDeps } from '../controllers/types';
import { startDeploymentController } from '../controllers/deployment';
import { startReplicaSetController } from '../controllers/replicaset';
import { startStatefulSetController } from '../controllers/statefulset';
import { startDaemonSetController } from '../controllers/daemonset';
import { startJobController } from '../controllers/job';
import { startCronJobController } from '../controllers/cronjob';
import { startGarbageCollectorController } from '../controllers/garbagecollector';
import { startNamespaceController } from '../controllers/namespace';
import { startServiceAccountController } from '../controllers/serviceaccount';
import { startRootCACertPublisher } from '../controllers/rootcacertpublisher';
import { startEndpointsController } from '../controllers/endpoints';
import { startEndpointSliceController } from '../controllers/endpointslice';
import { startNodeLifecycleController } from '../controllers/nodelifecycle';
import { startDisruptionController } from '../controllers/disruption';
import { startResourceQuotaController } from '../controllers/resourcequota';
import { startPodGCController } from '../controllers/podgc';
import { startVolumeControllers } from '../controllers/volume';
import { startSimKubelets } from '../kubelet/sim';
import { startScheduler } from '../scheduler';
import type { Clock } from '../util/clock';

/** Options of the control plane. */
export interface ControlPlaneOptions {
  clock: Clock;
  /** Simulated nodes to create at start. */
  simNodes: number;
  /** The cluster CA (PEM), published to every namespace as kube-root-ca.crt; without it, no publisher. */
  caCert?: string;
}

/** Starts every controller, the scheduler and the sim kubelets; stop() ends them all. */
export function startControlPlane(api: ApiServer, opts: ControlPlaneOptions): Controller {
  const client = api.client({ username: 'system:kube-controller-manager', groups: ['system:masters'] }, 'kube-controller-manager');
  const informers = new SharedInformers(client, opts.clock);
  const deps: ControllerDeps = {
    client,
    informers,
    clock: opts.clock,
    recorder: (component) => eventRecorder(client, component, opts.clock),
  };
  const running: Controller[] = [
    startDeploymentController(deps),
    startReplicaSetController(deps),
    startStatefulSetController(deps),
    startDaemonSetController(deps),
    startJobController(deps),
    startCronJobController(deps),
    startGarbageCollectorController(deps),
    startNamespaceController(deps),
    startServiceAccountController(deps),
    ...(opts.caCert ? [startRootCACertPublisher(deps, opts.caCert)] : []),
    startEndpointsController(deps),
    startEndpointSliceController(deps),
    startNodeLifecycleController(deps),
    startDisruptionController(deps),
    startResourceQuotaController(deps),
    startPodGCController(deps),
    startVolumeControllers(deps),
    startScheduler(deps),
    startSimKubelets(deps, { initialNodes: opts.simNodes }),
  ];
  return {
    stop() {
      for (const c of running) c.stop();
      informers.stop();
    },
  };
}
