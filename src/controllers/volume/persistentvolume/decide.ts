// Pure decisions of the PersistentVolume controller: what a claim sync and a volume sync should do, and the objects a binding writes.
import { rfc3339 } from '../../../util/clock';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../types';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_DYNAMICALLY_PROVISIONED } from '../types';
import {
  checkVolumeSatisfyClaim,
  claimClass,
  claimHasClass,
  defaultClass,
  findBestMatchForClaim,
  isDelayBindingMode,
  isDelayBindingProvisioning,
  isVolumeBoundToClaim,
  volumeModeMismatches,
} from './matching';

/** An Event to record about the object being synced. */
export interface SyncEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** What the cache shows a claim sync. */
export interface ClaimView {
  volumes: PersistentVolume[];
  volume(name: string): PersistentVolume | undefined;
  classes: StorageClass[];
  /** Names of the claim's pods not yet scheduled (for the WaitForPodScheduled event). */
  unscheduledPods: string[];
}

/** The outcome of a claim sync. */
export type ClaimAction =
  /** Bind (or finish binding) the claim and this volume. */
  | { kind: 'bind'; volume: PersistentVolume }
  /** Keep or set phase Pending, with an optional event. */
  | { kind: 'pending'; event?: SyncEvent }
  /** Retroactively give a class-less claim the default class; the update triggers the next sync. */
  | { kind: 'assignDefaultClass'; className: string }
  /** No volume matches and the claim names a class: hand it to that class's provisioner. */
  | { kind: 'provision' }
  /** The claim's volume is gone or taken: phase Lost. */
  | { kind: 'lost'; event: SyncEvent }
  /** A state that should never happen: event, and retry with backoff. */
  | { kind: 'fail'; error: string; event: SyncEvent };

const claimKey = (c: PersistentVolumeClaim) => `${c.metadata.namespace}/${c.metadata.name}`;

/** upstream syncClaim: unbound claims (no bind-completed annotation) look for a volume; bound ones check theirs. */
export function decideClaim(claim: PersistentVolumeClaim, view: ClaimView): ClaimAction {
  return claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined ? decideUnboundClaim(claim, view) : decideBoundClaim(claim, view);
}

/** upstream emitEventForUnboundDelayBindingClaim's event. */
export function delayBindingEvent(unscheduledPods: string[]): SyncEvent {
  if (!unscheduledPods.length) return { type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' };
  const message = unscheduledPods.length > 1 ? `waiting for pods ${unscheduledPods.join(',')} to be scheduled` : `waiting for pod ${unscheduledPods[0]} to be scheduled`;
  return { type: 'Normal', reason: 'WaitForPodScheduled', message };
}

/** upstream syncUnboundClaim. */
function decideUnboundClaim(claim: PersistentVolumeClaim, view: ClaimView): ClaimAction {
  const wanted = claim.spec.volumeName;
  if (!wanted) {
    const delayBinding = isDelayBindingMode(claim, view.classes);
    const volume = findBestMatchForClaim(claim, view.volumes, delayBinding);
    if (volume) return { kind: 'bind', volume };
    const def = claimHasClass(claim) ? undefined : defaultClass(view.classes);
    if (def) return { kind: 'assignDefaultClass', className: def.metadata.name! };
    if (delayBinding && !isDelayBindingProvisioning(claim)) return { kind: 'pending', event: delayBindingEvent(view.unscheduledPods) };
    if (claimClass(claim)) return { kind: 'provision' };
    return { kind: 'pending', event: { type: 'Normal', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' } };
  }
  // The user asked for a specific volume.
  const volume = view.volume(wanted);
  if (!volume) return { kind: 'pending' };
  if (!volume.spec.claimRef) {
    const why = checkVolumeSatisfyClaim(volume, claim);
    if (why) return { kind: 'pending', event: { type: 'Warning', reason: 'VolumeMismatch', message: `Cannot bind to requested volume "${wanted}": ${why}` } };
    return { kind: 'bind', volume };
  }
  if (isVolumeBoundToClaim(volume, claim)) return { kind: 'bind', volume };
  const event: SyncEvent = { type: 'Warning', reason: 'FailedBinding', message: `volume "${wanted}" already bound to a different claim.` };
  if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) return { kind: 'pending', event };
  const ref = volume.spec.claimRef;
  return { kind: 'fail', event, error: `invalid binding of claim "${claimKey(claim)}" to volume "${wanted}": volume already claimed by "${ref.namespace}/${ref.name}"` };
}

/** upstream syncBoundClaim. */
function decideBoundClaim(claim: PersistentVolumeClaim, view: ClaimView): ClaimAction {
  const lost = (message: string, reason = 'ClaimLost'): ClaimAction => ({ kind: 'lost', event: { type: 'Warning', reason, message } });
  if (!claim.spec.volumeName) return lost('Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
  const volume = view.volume(claim.spec.volumeName);
  if (!volume) return lost('Bound claim has lost its PersistentVolume. Data on the volume is lost!');
  // A volume not pointing back yet (or pointing back correctly) gets the binding (re)written; both are idempotent.
  if (!volume.spec.claimRef || volume.spec.claimRef.uid === claim.metadata.uid) return { kind: 'bind', volume };
  return lost('Two claims are bound to the same volume, this one is bound incorrectly', 'ClaimMisbound');
}

/** The outcome of a volume sync. */
export type VolumeAction =
  /** Set this phase (no-op when already in it). */
  | { kind: 'phase'; phase: 'Available' | 'Bound' }
  /** The claim is gone: phase Released (unless Released or Failed already), then reclaim per policy. */
  | { kind: 'release' }
  /** The claim is not bound yet: let its sync finish the binding. */
  | { kind: 'syncClaim' }
  /** The claim cannot use this volume's mode: events on both, nothing else. */
  | { kind: 'modeMismatch'; volumeEvent: SyncEvent; claimEvent: SyncEvent }
  /** The controller pointed this volume at a claim that bound elsewhere: drop the claimRef. */
  | { kind: 'unbind' };

/** upstream syncVolume; `claim` is the claim named by claimRef, undefined when gone or replaced (another UID). */
export function decideVolume(volume: PersistentVolume, claim: PersistentVolumeClaim | undefined): VolumeAction {
  const ref = volume.spec.claimRef;
  // Unused, or pre-bound by the user to a claim whose sync will bind it.
  if (!ref || !ref.uid) return { kind: 'phase', phase: 'Available' };
  if (!claim) return { kind: 'release' };
  if (!claim.spec.volumeName) {
    if (volumeModeMismatches(claim, volume)) {
      return {
        kind: 'modeMismatch',
        volumeEvent: { type: 'Warning', reason: 'VolumeMismatch', message: `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.` },
        claimEvent: { type: 'Warning', reason: 'VolumeMismatch', message: `Cannot bind PersistentVolume "${volume.metadata.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.` },
      };
    }
    return { kind: 'syncClaim' };
  }
  if (claim.spec.volumeName === volume.metadata.name) return { kind: 'phase', phase: 'Bound' };
  // The claim is bound to another volume.
  if (volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined && volume.spec.persistentVolumeReclaimPolicy === 'Delete') return { kind: 'release' };
  if (volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) return { kind: 'unbind' };
  // A user made this claimRef; leave it alone.
  return { kind: 'phase', phase: 'Available' };
}

/** How a released volume is reclaimed. */
export type Reclaim =
  | { kind: 'retain' }
  /** Mark the volume Failed with a Warning event of this reason. */
  | { kind: 'fail'; reason: 'VolumeFailedDelete' | 'VolumeFailedRecycle' | 'VolumeUnknownReclaimPolicy'; message: string }
  /** Remove the hostPath directory (the in-tree hostPath deleter), then the volume object. */
  | { kind: 'deleteHostPath'; path: string }
  /** An external provisioner deletes it: wait. */
  | { kind: 'external' };

/** upstream reclaimVolume with the plugins tugboat has: the hostPath deleter (under /tmp only, as upstream) and no recycler. */
export function decideReclaim(volume: PersistentVolume): Reclaim {
  const name = volume.metadata.name;
  switch (volume.spec.persistentVolumeReclaimPolicy) {
    case 'Retain':
      return { kind: 'retain' };
    case 'Recycle':
      // Upstream recycles hostPath and NFS volumes with a scrubber pod; tugboat runs none.
      return { kind: 'fail', reason: 'VolumeFailedRecycle', message: 'No recycler plugin found for the volume!' };
    case 'Delete': {
      const provisioner = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
      if (provisioner && !provisioner.startsWith('kubernetes.io/')) return { kind: 'external' };
      const path = volume.spec.hostPath?.path;
      if (path === undefined) return { kind: 'fail', reason: 'VolumeFailedDelete', message: `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched` };
      // upstream's unanchored check: "for testing and local development only".
      if (!/\/tmp\/.+/.test(path)) return { kind: 'fail', reason: 'VolumeFailedDelete', message: `host_path deleter only supports /tmp/.+ but received provided ${path}` };
      return { kind: 'deleteHostPath', path };
    }
    default:
      return { kind: 'fail', reason: 'VolumeUnknownReclaimPolicy', message: 'Volume has unrecognized PersistentVolumeReclaimPolicy' };
  }
}

/** upstream GetBindVolumeToClaim: the volume pointing at the claim, or undefined when it already does. */
export function bindVolumeToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): PersistentVolume | undefined {
  const ref = volume.spec.claimRef;
  // A volume already pointing at the claim was bound by the user (or by us earlier).
  const byController = !isVolumeBoundToClaim(volume, claim);
  const refOk = ref && ref.name === claim.metadata.name && ref.namespace === claim.metadata.namespace && ref.uid === claim.metadata.uid;
  const annOk = !byController || volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined;
  if (refOk && annOk) return undefined;
  const next = structuredClone(volume);
  if (!refOk) {
    next.spec.claimRef = {
      kind: 'PersistentVolumeClaim',
      namespace: claim.metadata.namespace,
      name: claim.metadata.name,
      uid: claim.metadata.uid,
      apiVersion: 'v1',
      resourceVersion: claim.metadata.resourceVersion,
    };
  }
  if (!annOk) next.metadata.annotations = { ...next.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
  return next;
}

/** upstream bindClaimToVolume: the claim naming the volume with the binding annotations, or undefined when it already does. */
export function bindClaimToVolume(claim: PersistentVolumeClaim, volume: PersistentVolume): PersistentVolumeClaim | undefined {
  const ann = claim.metadata.annotations ?? {};
  // The user named the volume themselves when volumeName is already set.
  const byController = claim.spec.volumeName !== volume.metadata.name;
  const add: Record<string, string> = {};
  if (byController && ann[ANN_BOUND_BY_CONTROLLER] === undefined) add[ANN_BOUND_BY_CONTROLLER] = 'yes';
  if (ann[ANN_BIND_COMPLETED] === undefined) add[ANN_BIND_COMPLETED] = 'yes';
  if (!byController && !Object.keys(add).length) return undefined;
  const next = structuredClone(claim);
  next.spec.volumeName = volume.metadata.name;
  next.metadata.annotations = { ...ann, ...add };
  return next;
}

/** upstream unbindVolume: the volume without the controller's claimRef, phase left to the caller. */
export function unboundVolume(volume: PersistentVolume): PersistentVolume {
  const next = structuredClone(volume);
  if (next.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
    // The controller made the whole binding: drop it.
    delete next.spec.claimRef;
    delete next.metadata.annotations[ANN_BOUND_BY_CONTROLLER];
  } else if (next.spec.claimRef) {
    // The user pre-bound it by name: keep the name, forget the UID.
    delete next.spec.claimRef.uid;
  }
  return next;
}

/** upstream updateVolumePhase: the new status, or undefined when the phase is already `phase`. */
export function volumePhaseStatus(volume: PersistentVolume, phase: string, message: string, now: number): PersistentVolume['status'] | undefined {
  if (volume.status?.phase === phase) return undefined;
  const status: NonNullable<PersistentVolume['status']> = { ...volume.status, phase, lastPhaseTransitionTime: rfc3339(now) };
  if (message) status.message = message;
  else delete status.message;
  return status;
}

/** upstream updateClaimStatus: the new status, or undefined when nothing changes; capacity is copied only as the claim becomes bound. */
export function claimStatusFor(claim: PersistentVolumeClaim, phase: string, volume: PersistentVolume | undefined): PersistentVolumeClaim['status'] | undefined {
  const cur = claim.status ?? {};
  const next: NonNullable<PersistentVolumeClaim['status']> = { ...cur, phase };
  let dirty = cur.phase !== phase;
  if (!volume) {
    dirty ||= cur.accessModes !== undefined || cur.capacity !== undefined;
    delete next.accessModes;
    delete next.capacity;
    return dirty ? next : undefined;
  }
  if (JSON.stringify(cur.accessModes) !== JSON.stringify(volume.spec.accessModes)) {
    next.accessModes = volume.spec.accessModes;
    dirty = true;
  }
  const cap = volume.spec.capacity?.storage;
  // Once bound, a differing capacity may be intentional (filesystem vs block size): leave it.
  if (cur.phase !== phase && cap !== undefined && String(cur.capacity?.storage) !== String(cap)) {
    next.capacity = { ...volume.spec.capacity };
    dirty = true;
  }
  return dirty ? next : undefined;
}
