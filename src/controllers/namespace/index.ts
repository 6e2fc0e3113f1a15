// Namespace lifecycle: empties a terminating namespace, then finalizes it.
import type { KObject } from '../../api/types';
import { keyOf } from '../../client/informer';
import { R } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import { logger } from '../../util/log';
import { errorMessage, isConflict, isNotFound } from '../shared/errors';
import type { Controller, ControllerDeps } from '../types';
import { deletionConditions } from './conditions';
import { deleteAllContent, namespacedResources } from './content';

const log = logger('namespace-controller');

/** The finalizer this controller owns on every namespace. */
export const KUBERNETES_FINALIZER = 'kubernetes';

// How soon a namespace whose content is still going away is looked at again.
const RECHECK_MS = 1000;

/** Starts the Namespace controller. */
export function startNamespaceController(deps: ControllerDeps): Controller {
  const namespaces = deps.informers.for(R.namespaces);
  const nsClient = deps.client.resource(R.namespaces);
  const resources = namespacedResources();
  const queue = new WorkQueue(deps.clock);
  const enqueue = (ns: KObject) => ns.metadata.deletionTimestamp && queue.add(keyOf(ns));
  namespaces.on({ add: enqueue, update: (_, ns) => enqueue(ns) });

  const sync = async (name: string) => {
    const ns = namespaces.get(name);
    if (!ns?.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER)) return;
    const totals = await deleteAllContent(deps.client, resources, name);
    const { conditions, changed } = deletionConditions(ns.status?.conditions, totals, deps.clock.now());
    if (changed) {
      try {
        await nsClient.updateStatus('', { ...structuredClone(ns), status: { ...ns.status, phase: 'Terminating', conditions } });
      } catch (e) {
        if (isNotFound(e)) return;
        // A stale copy: the next pass writes the conditions again.
        if (!isConflict(e)) throw e;
      }
    }
    if (totals.remaining.size || totals.errors.length) {
      queue.addAfter(name, RECHECK_MS);
      return;
    }
    log.info('namespace is empty; finalizing', { obj: name });
    const finalizers = (ns.spec?.finalizers ?? []).filter((f: string) => f !== KUBERNETES_FINALIZER);
    try {
      await nsClient.patch('', name, 'merge', { spec: { finalizers } }, { subresource: 'finalize' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  };

  void namespaces.waitForSync().then(() =>
    runWorkers(queue, 2, sync, (key, err) => log.warn('namespace deletion failed; retrying', { obj: key, err: errorMessage(err) })),
  );
  return { stop: () => queue.shutdown() };
}
