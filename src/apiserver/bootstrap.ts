// Objects every cluster starts with: the four system namespaces and the `kubernetes` service in default.
import type { KObject } from '../api/types';
import { StatusError } from '../machinery/errors';
import type { ApiServer } from './server';
import type { WriteContext } from './registry/registry';

/** Namespaces that exist from the first start, as in upstream clusters. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const system: WriteContext = {
  user: { username: 'system:apiserver', groups: ['system:masters'] },
  manager: 'kube-apiserver',
  dryRun: false,
  warnings: [],
};

async function ensure(api: ApiServer, group: string, version: string, resource: string, namespace: string, obj: KObject): Promise<void> {
  const r = api.table.lookup(group, version, resource)!;
  try {
    await api.registry.get(r, namespace, obj.metadata.name!);
    return;
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
  await api.registry.create(r, namespace, obj, { ...system, warnings: [] });
}

/** Creates whatever of the bootstrap objects is missing; safe to run at every start. */
export async function bootstrapCluster(api: ApiServer): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(api, '', 'v1', 'namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  await ensure(api, '', 'v1', 'services', 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
}
