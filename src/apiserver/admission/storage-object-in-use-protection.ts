// StorageObjectInUseProtection admission: new claims get kubernetes.io/pvc-protection, new volumes kubernetes.io/pv-protection.
import type { AdmissionPlugin } from './types';

const FINALIZERS: Record<string, string> = {
  persistentvolumeclaims: 'kubernetes.io/pvc-protection',
  persistentvolumes: 'kubernetes.io/pv-protection',
};

/** Builds the plugin (upstream plugin/pkg/admission/storage/storageobjectinuseprotection). */
export function storageObjectInUseProtection(): AdmissionPlugin {
  return {
    name: 'StorageObjectInUseProtection',
    admit(a) {
      const finalizer = a.resource.group === '' ? FINALIZERS[a.resource.resource] : undefined;
      if (!finalizer || a.operation !== 'CREATE' || a.subresource || !a.object) return;
      const meta = a.object.metadata;
      if (!(meta.finalizers ?? []).includes(finalizer)) meta.finalizers = [...(meta.finalizers ?? []), finalizer];
    },
  };
}
