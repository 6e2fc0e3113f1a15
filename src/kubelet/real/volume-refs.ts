// Pure: whether a pod's volumes show a given ConfigMap or Secret, so that a change to one refreshes the pods that mount it.
import type { Pod } from 'kubernetes-types/core/v1';

/** The kinds of object a volume can show the content of. */
export type VolumeObjectKind = 'ConfigMap' | 'Secret';

/** Whether `pod` has a configMap/secret volume, or a projected source, naming the object `kind`/`name` (of the pod's namespace). */
export function podMountsObject(pod: Pod, kind: VolumeObjectKind, name: string): boolean {
  const names = (v: { configMap?: { name?: string }; secret?: { secretName?: string; name?: string } }) =>
    kind === 'ConfigMap' ? v.configMap?.name : (v.secret?.secretName ?? v.secret?.name);
  for (const v of pod.spec?.volumes ?? []) {
    if (names(v) === name) return true;
    for (const s of v.projected?.sources ?? []) if (names(s) === name) return true;
  }
  return false;
}
