// ServiceAccount admission: a pod without a service account runs as the namespace's "default" one.
import type { AdmissionPlugin } from './types';

/** The account pods get when they name none. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** Mirror pods (created by a kubelet from a static manifest) are left alone, as upstream. */
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** Builds the plugin. Token volumes are not mounted: tugboat issues no service account tokens yet. */
export function serviceAccount(): AdmissionPlugin {
  return {
    name: 'ServiceAccount',
    admit(a) {
      if (a.operation !== 'CREATE' || a.subresource || a.resource.group !== '' || a.resource.resource !== 'pods') return;
      const pod = a.object!;
      if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
      const spec = (pod.spec ??= {});
      if (!spec.serviceAccountName) spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT;
      // v1 keeps the deprecated field equal to the new one.
      spec.serviceAccount = spec.serviceAccountName;
    },
  };
}
