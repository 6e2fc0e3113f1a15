// Endpoints: the ready and not-ready addresses of each service's pods.
import type { KObject } from '../../api/types';
import { keyOf, splitKey } from '../../client/informer';
import { R } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import { logger } from '../../util/log';
import { errorMessage, hasStatusCause, isNotFound, NAMESPACE_TERMINATING_CAUSE } from '../shared/errors';
import type { Pod } from '../shared/types';
import { indexByNamespace, listInNamespace } from '../shared/informer-index';
import type { Controller, ControllerDeps } from '../types';
import { endpointsSelector, selectorMatches } from './pod-endpoints';
import { desiredEndpoints } from './subsets';
import { podEndpointsChanged, servicesForPod } from './watch';

const log = logger('endpoint-controller');

/** Starts the Endpoints controller. */
export function startEndpointsController(deps: ControllerDeps): Controller {
  const services = deps.informers.for(R.services);
  const pods = deps.informers.for<Pod>(R.pods);
  const endpoints = deps.informers.for(R.endpoints);
  const client = deps.client.resource(R.endpoints);
  const recorder = deps.recorder('endpoint-controller');
  const queue = new WorkQueue(deps.clock);
  indexByNamespace(services);
  indexByNamespace(pods);

  const enqueueFor = (...ps: Pod[]) => {
    for (const key of servicesForPod(listInNamespace(services, ps[0].metadata.namespace!), ps)) queue.add(key);
  };
  services.on({ add: (s) => queue.add(keyOf(s)), update: (_, s) => queue.add(keyOf(s)), delete: (s) => queue.add(keyOf(s)) });
  pods.on({
    add: (p) => enqueueFor(p),
    update: (old, p) => podEndpointsChanged(old, p) && enqueueFor(old, p),
    delete: (p) => enqueueFor(p),
  });
  // Endpoints removed behind the controller's back are written again.
  endpoints.on({ delete: (e) => queue.add(keyOf(e)) });

  const sync = async (key: string) => {
    const { namespace, name } = splitKey(key);
    const svc = services.get(key);
    if (!svc) {
      // The service is gone: so are its endpoints (upstream deletes them whoever wrote them).
      try {
        if (endpoints.get(key)) await client.delete(namespace, name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    const selector = endpointsSelector(svc);
    if (!selector) return;
    const selected = listInNamespace(pods, namespace).filter((p) => selectorMatches(selector, p.metadata.labels));
    const current = endpoints.get(key);
    const desired = desiredEndpoints(svc, selected, current);
    if (!desired) return;
    try {
      if (current) await client.update(namespace, desired);
      else await client.create(namespace, desired);
    } catch (e) {
      if (!current && hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) return;
      if (current) recorder.event(desired as KObject, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${errorMessage(e)}`);
      else recorder.event(desired as KObject, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${errorMessage(e)}`);
      throw e;
    }
  };

  void Promise.all([services.waitForSync(), pods.waitForSync(), endpoints.waitForSync()]).then(() =>
    runWorkers(queue, 4, sync, (key, err) => log.warn('endpoints sync failed; retrying', { obj: key, err: errorMessage(err) })),
  );
  return { stop: () => queue.shutdown() };
}
