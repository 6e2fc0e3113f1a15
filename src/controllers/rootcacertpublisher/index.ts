// Root CA publisher: a kube-root-ca.crt ConfigMap with the cluster CA in every namespace, for in-cluster clients to verify the API server.
import type { KObject } from '../../api/types';
import { ROOT_CA_CONFIGMAP } from '../../apiserver/admission/service-account';
import { R } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import { logger } from '../../util/log';
import { errorMessage, hasStatusCause, isAlreadyExists, isNotFound, NAMESPACE_TERMINATING_CAUSE } from '../shared/errors';
import type { Controller, ControllerDeps } from '../types';

const log = logger('root-ca-cert-publisher');

const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** What to do for a namespace given its current ConfigMap (pure): create it, put the CA back, or nothing. */
export function rootCAAction(ns: KObject | undefined, cm: KObject | undefined, caPem: string): 'create' | 'update' | 'none' {
  if (!ns || ns.status?.phase !== 'Active' || ns.metadata.deletionTimestamp) return 'none';
  if (!cm) return 'create';
  const data = cm.data ?? {};
  const annotated = cm.metadata.annotations?.['kubernetes.io/description'] === DESCRIPTION;
  return data['ca.crt'] === caPem && Object.keys(data).length === 1 && annotated ? 'none' : 'update';
}

/** The ConfigMap as the publisher keeps it. */
export function rootCAConfigMap(caPem: string, existing?: KObject): KObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      ...(existing?.metadata ?? { name: ROOT_CA_CONFIGMAP }),
      annotations: { ...existing?.metadata.annotations, 'kubernetes.io/description': DESCRIPTION },
    },
    data: { 'ca.crt': caPem },
  };
}

/** Starts the publisher for the cluster CA `caPem`. */
export function startRootCACertPublisher(deps: ControllerDeps, caPem: string): Controller {
  const namespaces = deps.informers.for(R.namespaces);
  const configmaps = deps.informers.for(R.configmaps);
  const client = deps.client.resource(R.configmaps);
  const queue = new WorkQueue(deps.clock);
  namespaces.on({ add: (ns) => queue.add(ns.metadata.name!), update: (_, ns) => queue.add(ns.metadata.name!) });
  const ours = (cm: KObject) => cm.metadata.name === ROOT_CA_CONFIGMAP && queue.add(cm.metadata.namespace!);
  configmaps.on({ update: (_, cm) => ours(cm), delete: ours });

  const sync = async (namespace: string) => {
    const cm = configmaps.get(`${namespace}/${ROOT_CA_CONFIGMAP}`);
    const action = rootCAAction(namespaces.get(namespace), cm, caPem);
    try {
      if (action === 'create') await client.create(namespace, rootCAConfigMap(caPem));
      else if (action === 'update') await client.update(namespace, rootCAConfigMap(caPem, structuredClone(cm)));
      else return;
      log.info(action === 'create' ? 'published root CA' : 'restored root CA', { obj: `${namespace}/${ROOT_CA_CONFIGMAP}` });
    } catch (e) {
      if (isAlreadyExists(e) || isNotFound(e) || hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) return;
      throw e;
    }
  };

  void Promise.all([namespaces.waitForSync(), configmaps.waitForSync()]).then(() =>
    runWorkers(queue, 1, sync, (key, err) => log.warn('root CA sync failed; retrying', { obj: key, err: errorMessage(err) })),
  );
  return { stop: () => queue.shutdown() };
}
