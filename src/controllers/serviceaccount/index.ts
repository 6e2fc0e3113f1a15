// ServiceAccounts: a default account in every namespace.
import type { KObject } from '../../api/types';
import { R } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import { logger } from '../../util/log';
import { errorMessage, hasStatusCause, isAlreadyExists, NAMESPACE_TERMINATING_CAUSE } from '../shared/errors';
import type { Controller, ControllerDeps } from '../types';

const log = logger('serviceaccount-controller');

/** The accounts every active namespace has. */
export const DEFAULT_SERVICE_ACCOUNTS = ['default'];

/** The accounts an active namespace lacks, given the ones that exist (pure). */
export function missingServiceAccounts(ns: KObject, exists: (name: string) => boolean): string[] {
  if (ns.status?.phase !== 'Active' || ns.metadata.deletionTimestamp) return [];
  return DEFAULT_SERVICE_ACCOUNTS.filter((n) => !exists(n));
}

/** Starts the ServiceAccount controller. */
export function startServiceAccountController(deps: ControllerDeps): Controller {
  const namespaces = deps.informers.for(R.namespaces);
  const accounts = deps.informers.for(R.serviceaccounts);
  const client = deps.client.resource(R.serviceaccounts);
  const queue = new WorkQueue(deps.clock);
  namespaces.on({ add: (ns) => queue.add(ns.metadata.name!), update: (_, ns) => queue.add(ns.metadata.name!) });
  // A deleted default account is created again.
  accounts.on({ delete: (sa) => DEFAULT_SERVICE_ACCOUNTS.includes(sa.metadata.name!) && queue.add(sa.metadata.namespace!) });

  const sync = async (namespace: string) => {
    const ns = namespaces.get(namespace);
    if (!ns) return;
    for (const name of missingServiceAccounts(ns, (n) => !!accounts.get(`${namespace}/${n}`))) {
      try {
        await client.create(namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
        log.info('created service account', { obj: `${namespace}/${name}` });
      } catch (e) {
        if (isAlreadyExists(e) || hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) continue;
        throw e;
      }
    }
  };

  void Promise.all([namespaces.waitForSync(), accounts.waitForSync()]).then(() =>
    runWorkers(queue, 2, sync, (key, err) => log.warn('service account sync failed; retrying', { obj: key, err: errorMessage(err) })),
  );
  return { stop: () => queue.shutdown() };
}
