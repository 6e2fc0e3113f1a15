// DefaultStorageClass admission: a new claim that names no class gets the cluster's default class, when there is one.
import { isDefaultStorageClass } from '../../api/strategies/storageclass';
import type { ObjectLister } from './object-lister';
import type { AdmissionPlugin } from './types';

/** Builds the plugin over a lister of StorageClasses (upstream plugin/pkg/admission/storage/storageclass/setdefault). */
export function defaultStorageClass(list: ObjectLister): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    admit(a) {
      if (a.resource.group !== '' || a.resource.resource !== 'persistentvolumeclaims' || a.subresource || a.operation !== 'CREATE' || !a.object) return;
      const pvc = a.object;
      // upstream PersistentVolumeClaimHasClass: an explicit class, even "", or the beta annotation.
      if (pvc.spec?.storageClassName != null || pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined) return;
      // upstream GetDefaultClass: the newest default class, ties broken by name.
      const t = (c: { metadata: { creationTimestamp?: string } }) => Date.parse(c.metadata.creationTimestamp ?? '') || 0;
      const def = list('storage.k8s.io', 'storageclasses', '')
        .filter(isDefaultStorageClass)
        .sort((x, y) => t(y) - t(x) || (x.metadata.name! < y.metadata.name! ? -1 : 1))[0];
      if (def) (pvc.spec ??= {}).storageClassName = def.metadata.name;
    },
  };
}
