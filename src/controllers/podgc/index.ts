// Pod garbage collection: finished pods beyond the threshold, pods of deleted nodes, terminating pods no kubelet will finish.
import type { Node } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { Client } from '../../client/types';
import { R } from '../../client/types';
import { isNotFound } from '../shared/errors';
import type { Pod } from '../shared/types';
import type { Controller, ControllerDeps } from '../types';
import type { PodGCOptions, PodGCPort } from './controller';
import { PodGCController } from './controller';

/** The collector's port over the API. */
export function apiPodGCPort(client: Client): PodGCPort {
  const pods = client.resource<Pod>(R.pods);
  return {
    async nodeExists(name) {
      try {
        await client.resource(R.nodes).get('', name);
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    },
    async patchPodStatus(namespace, name, patch) {
      await pods.patch(namespace, name, 'strategic', patch, { subresource: 'status' });
    },
    async forceDeletePod(namespace, name) {
      await pods.delete(namespace, name, { gracePeriodSeconds: 0 }).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    },
  };
}

/** Starts the pod garbage collector (options override upstream's threshold and periods, for tests). */
export function startPodGCController(deps: ControllerDeps, options: Pick<PodGCOptions, 'terminatedPodThreshold' | 'gcCheckPeriodMs' | 'quarantineMs'> = {}): Controller {
  const c = new PodGCController({
    podInformer: deps.informers.for<Pod>(R.pods),
    nodeInformer: deps.informers.for<Node & KObject>(R.nodes),
    port: apiPodGCPort(deps.client),
    clock: deps.clock,
    ...options,
  });
  void c.run();
  return { stop: () => c.stop() };
}
