// Pure decisions of the pvc-protection and pv-protection controllers (upstream pkg/controller/volume/{pvc,pv}protection).
import type { KObject } from '../../../api/types';
import type { Pod } from '../../shared/types';
import type { PersistentVolume, PersistentVolumeClaim } from '../types';

/** upstream IsDeletionCandidate: being deleted and still holding `finalizer`. */
export function isDeletionCandidate(obj: KObject, finalizer: string): boolean {
  return !!obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).includes(finalizer);
}

/** upstream NeedToAddFinalizer: alive and without `finalizer` (objects created before admission added it). */
export function needToAddFinalizer(obj: KObject, finalizer: string): boolean {
  return !obj.metadata.deletionTimestamp && !(obj.metadata.finalizers ?? []).includes(finalizer);
}

/** The object with `finalizer` added or removed (a copy; the cached one is shared). */
export function withFinalizer<T extends KObject>(obj: T, finalizer: string, present: boolean): T {
  const next = structuredClone(obj);
  const rest = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  next.metadata.finalizers = present ? [...rest, finalizer] : rest;
  return next;
}

/** upstream podIsShutDown: force-deleted, or in a terminal phase. */
export function podIsShutDown(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds === 0) return true;
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * upstream podUsesPVC: only scheduled pods count (the kubelet refuses to start a pod whose claim is being deleted); a
 * persistentVolumeClaim volume counts until the pod object is gone, a generic ephemeral one until the pod shuts down.
 */
export function podUsesClaim(pod: Pod, claim: PersistentVolumeClaim): boolean {
  if (!pod.spec.nodeName) return false;
  const name = claim.metadata.name;
  return (pod.spec.volumes ?? []).some((v) => {
    if (v.persistentVolumeClaim) return v.persistentVolumeClaim.claimName === name;
    if (!v.ephemeral || podIsShutDown(pod) || `${pod.metadata.name}-${v.name}` !== name) return false;
    // upstream VolumeIsForPod: the claim is the pod's own, owned by it.
    return (claim.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === pod.metadata.uid);
  });
}

/** upstream pv-protection isBeingUsed: a volume is in use while it is Bound. */
export function volumeInUse(volume: PersistentVolume): boolean {
  return volume.status?.phase === 'Bound';
}
