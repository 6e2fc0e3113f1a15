// NamespaceLifecycle admission: no content in a missing or terminating namespace; system namespaces are immortal.
import type { KObject } from '../../api/types';
import { forbidden, notFound, StatusError } from '../../machinery/errors';
import type { AdmissionPlugin } from './types';

/** Namespaces that can never be deleted, as upstream. */
export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/** Builds the plugin over a lookup of current namespaces. */
export function namespaceLifecycle(getNamespace: (name: string) => KObject | undefined): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    admit(a) {
      const gr = { group: a.resource.group, resource: a.resource.resource };
      if (a.resource.group === '' && a.resource.resource === 'namespaces') {
        if (a.operation === 'DELETE' && IMMORTAL_NAMESPACES.includes(a.name)) {
          throw forbidden(gr, a.name, 'this namespace may not be deleted');
        }
        return;
      }
      if (!a.resource.namespaced || a.operation !== 'CREATE') return;
      const ns = getNamespace(a.namespace);
      if (!ns) throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
      if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') {
        const err = forbidden(gr, a.name, `unable to create new content in namespace ${a.namespace} because it is being terminated`);
        throw new StatusError(err.code, err.reason, err.message, {
          ...err.details,
          causes: [{ reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' }],
        });
      }
    },
  };
}
