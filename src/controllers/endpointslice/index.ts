// EndpointSlices: the discovery.k8s.io view of each service's pods.
import type { KObject } from '../../api/types';
import { keyOf, splitKey } from '../../client/informer';
import { R } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import { logger } from '../../util/log';
import { endpointsSelector, selectorMatches } from '../endpoints/pod-endpoints';
import { podEndpointsChanged, servicesForPod } from '../endpoints/watch';
import { errorMessage, hasStatusCause, isNotFound, NAMESPACE_TERMINATING_CAUSE } from '../shared/errors';
import type { Pod } from '../shared/types';
import { indexByNamespace, listInNamespace } from '../shared/informer-index';
import type { Controller, ControllerDeps } from '../types';
import { isManagedSlice, planSlices, SERVICE_NAME_LABEL, ZONE_LABEL } from './slices';

const log = logger('endpointslice-controller');

// Creates not yet seen by the informer are awaited this long before the service is synced again regardless.
const CREATE_EXPECTATION_MS = 5000;

/** Starts the EndpointSlice controller. */
export function startEndpointSliceController(deps: ControllerDeps): Controller {
  const services = deps.informers.for(R.services);
  const pods = deps.informers.for<Pod>(R.pods);
  const slices = deps.informers.for(R.endpointslices);
  const nodes = deps.informers.for(R.nodes);
  const client = deps.client.resource(R.endpointslices);
  const recorder = deps.recorder('endpoint-slice-controller');
  const queue = new WorkQueue(deps.clock);
  indexByNamespace(services);
  indexByNamespace(pods);
  const serviceOf = (s: KObject) => `${s.metadata.namespace}/${s.metadata.labels?.[SERVICE_NAME_LABEL]}`;
  slices.addIndex('endpointslice:service', (s) => (isManagedSlice(s) ? [serviceOf(s)] : []));
  // Slices this controller created that its informer has not shown yet, per service: it must not create them twice.
  const pendingCreates = new Map<string, { names: Set<string>; until: number }>();

  const enqueueFor = (...ps: Pod[]) => {
    for (const key of servicesForPod(listInNamespace(services, ps[0].metadata.namespace!), ps)) queue.add(key);
  };
  services.on({ add: (s) => queue.add(keyOf(s)), update: (_, s) => queue.add(keyOf(s)), delete: (s) => queue.add(keyOf(s)) });
  pods.on({ add: (p) => enqueueFor(p), update: (old, p) => podEndpointsChanged(old, p) && enqueueFor(old, p), delete: (p) => enqueueFor(p) });
  const sliceChanged = (s: KObject) => {
    if (!isManagedSlice(s)) return;
    const key = serviceOf(s);
    const pending = pendingCreates.get(key);
    if (pending?.names.delete(s.metadata.name!) && !pending.names.size) pendingCreates.delete(key);
    queue.add(key);
  };
  slices.on({ add: sliceChanged, update: (_, s) => sliceChanged(s), delete: sliceChanged });

  const nodeZone = (name: string) => {
    const n = nodes.get(name);
    return n ? (n.metadata.labels?.[ZONE_LABEL] ?? '') : undefined;
  };

  const sync = async (key: string) => {
    const { namespace } = splitKey(key);
    const svc = services.get(key);
    // Slices of a deleted service go with it: they are owned by it, and the garbage collector removes them.
    if (!svc || !endpointsSelector(svc)) return;
    const pending = pendingCreates.get(key);
    if (pending && pending.until > deps.clock.now()) return queue.addAfter(key, pending.until - deps.clock.now());
    pendingCreates.delete(key);
    const selector = endpointsSelector(svc)!;
    const selected = listInNamespace(pods, namespace).filter((p) => selectorMatches(selector, p.metadata.labels));
    const plan = planSlices(svc, selected, slices.byIndex('endpointslice:service', key), nodeZone);
    try {
      for (const s of plan.delete) {
        try {
          await client.delete(namespace, s.metadata.name!, { preconditions: { uid: s.metadata.uid } });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
      for (const s of plan.update) await client.update(namespace, s);
      const created = new Set<string>();
      for (const s of plan.create) created.add((await client.create(namespace, s)).metadata.name!);
      if (created.size) pendingCreates.set(key, { names: created, until: deps.clock.now() + CREATE_EXPECTATION_MS });
    } catch (e) {
      if (hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) return;
      recorder.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${errorMessage(e)}`);
      throw e;
    }
    // upstream leaves pods of unknown nodes out and retries the service later.
    if (plan.missingNodes.length) throw new Error(`skipped pods on unknown nodes ${[...new Set(plan.missingNodes)].join(', ')}`);
  };

  void Promise.all([services.waitForSync(), pods.waitForSync(), slices.waitForSync(), nodes.waitForSync()]).then(() =>
    runWorkers(queue, 4, sync, (key, err) => log.warn('endpoint slice sync failed; retrying', { obj: key, err: errorMessage(err) })),
  );
  return { stop: () => queue.shutdown() };
}
