// Names the upstream definition of an envelope's apiVersion and kind by k8s.io/api's package layout, for definitionFor.
import { FIELDS } from './fields';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

// The option kinds metav1.AddToGroupVersion registers in every group version (a pod eviction's DeleteOptions).
const META_KINDS = new Set(['CreateOptions', 'DeleteOptions', 'GetOptions', 'ListOptions', 'PatchOptions', 'UpdateOptions']);

/** io.k8s.api.<first label of the group, or core>.<version>.<kind> when the table has it: apps/v1 Deployment → io.k8s.api.apps.v1.Deployment. */
export function upstreamDefinition(apiVersion: string, kind: string): string | undefined {
  if (META_KINDS.has(kind)) return `${META}.${kind}`;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const name = `io.k8s.api.${group ? group.split('.')[0] : 'core'}.${version}.${kind}`;
  return Object.hasOwn(FIELDS.messages, name) ? name : undefined;
}
