// ResourceQuota usage: counts what each namespace uses.
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { builtinResources } from '../../api/kinds';
import { resourcesTrackedBy } from '../../api/quota/evaluators';
import { fromResourceList } from '../../api/quota/resource-list';
import { calculateUsage } from '../../api/quota/usage';
import type { KObject } from '../../api/types';
import type { Informer } from '../../client/informer';
import { keyOf } from '../../client/informer';
import { GVR, R } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import { semanticEqual } from '../../machinery/validation';
import { logger } from '../../util/log';
import { errorMessage } from '../shared/errors';
import { indexByNamespace, listInNamespace } from '../shared/informer-index';
import type { Controller, ControllerDeps } from '../types';

const log = logger('resourcequota-controller');

/** upstream --resource-quota-sync-period: a full recount, for usage that changes without events (pods past their grace). */
const FULL_RESYNC_MS = 5 * 60_000;

/** Resources whose changes are watched from the start, as upstream's replenishment controllers. */
const ALWAYS_WATCHED = ['pods', 'services', 'persistentvolumeclaims', 'configmaps', 'secrets', 'resourcequotas'];

/** The status a quota should have: hard as specified, used as counted (pure). */
export function quotaStatus(quota: ResourceQuota & KObject, objects: (group: string, resource: string) => KObject[], now: number): { hard: Record<string, string>; used: Record<string, string> } {
  return { hard: { ...((quota.spec?.hard ?? {}) as Record<string, string>) }, used: fromResourceList(calculateUsage(quota, objects, now)) };
}

/** Starts the ResourceQuota controller. */
export function startResourceQuotaController(deps: ControllerDeps): Controller {
  const quotas = deps.informers.for<ResourceQuota & KObject>(R.resourcequotas);
  const client = deps.client.resource<ResourceQuota & KObject>(R.resourcequotas);
  const queue = new WorkQueue(deps.clock);
  indexByNamespace(quotas);
  const stored = new Map<string, GVR>(
    builtinResources()
      .filter((r) => r.namespaced && !r.storage)
      .map((r) => [`${r.group}/${r.resource}`, { group: r.group, version: r.version, resource: r.resource }]),
  );

  const enqueueNamespace = (obj: KObject) => {
    for (const q of listInNamespace(quotas, obj.metadata.namespace!)) queue.add(keyOf(q));
  };
  const watched = new Map<string, Informer<KObject>>();
  // An informer per counted resource, created when a quota first counts it; its changes recount the namespace's quotas.
  const watch = (group: string, resource: string): Informer<KObject> | undefined => {
    const key = `${group}/${resource}`;
    const existing = watched.get(key);
    if (existing) return existing;
    const gvr = stored.get(key);
    if (!gvr) return undefined;
    const inf = deps.informers.for(gvr);
    indexByNamespace(inf);
    inf.on({ add: enqueueNamespace, update: (_, o) => enqueueNamespace(o), delete: enqueueNamespace });
    watched.set(key, inf);
    return inf;
  };
  for (const r of ALWAYS_WATCHED) watch('', r);
  // Only a changed hard list needs a recount on update (as upstream); status writes come back as updates too.
  quotas.on({ add: (q) => queue.add(keyOf(q)), update: (_, q) => !semanticEqual(q.spec?.hard, q.status?.hard) && queue.add(keyOf(q)) });

  const sync = async (key: string) => {
    const quota = quotas.get(key);
    if (!quota) return;
    const ns = quota.metadata.namespace!;
    const informers = resourcesTrackedBy(Object.keys(quota.spec?.hard ?? {})).map((gr) => watch(gr.group, gr.resource));
    await Promise.all(informers.map((i) => i?.waitForSync()));
    const objects = (g: string, r: string) => {
      const inf = watched.get(`${g}/${r}`);
      return inf ? listInNamespace(inf, ns) : [];
    };
    const status = quotaStatus(quota, objects, deps.clock.now());
    if (semanticEqual(quota.status, status)) return;
    await client.updateStatus(ns, { ...structuredClone(quota), status });
  };

  let timer: { cancel(): void } | undefined;
  const resyncAll = () => {
    for (const q of quotas.list()) queue.add(keyOf(q));
    timer = deps.clock.setTimeout(resyncAll, FULL_RESYNC_MS);
  };
  void quotas.waitForSync().then(() => {
    timer = deps.clock.setTimeout(resyncAll, FULL_RESYNC_MS);
    return runWorkers(queue, 2, sync, (key, err) => log.warn('quota sync failed; retrying', { obj: key, err: errorMessage(err) }));
  });
  return {
    stop() {
      timer?.cancel();
      queue.shutdown();
    },
  };
}
