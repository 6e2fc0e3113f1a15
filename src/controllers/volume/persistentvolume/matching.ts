// Pure matching of claims to volumes (upstream component-helpers pv_helpers and the binder's access-mode index).
import { isDefaultStorageClass } from '../../../api/strategies/storageclass';
import { labelSelectorFromObject, matchesLabels } from '../../../machinery/labels';
import { tryParseQuantity } from '../../../machinery/quantity';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../types';
import { ANN_BETA_STORAGE_CLASS, ANN_SELECTED_NODE } from '../types';

/** upstream GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else "". */
export function claimClass(claim: PersistentVolumeClaim): string {
  return claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec.storageClassName ?? '';
}

/** upstream GetPersistentVolumeClass. */
export function volumeClass(volume: PersistentVolume): string {
  return volume.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? volume.spec.storageClassName ?? '';
}

/** upstream PersistentVolumeClaimHasClass: the user asked for a class, even "" (only an absent one gets the default). */
export function claimHasClass(claim: PersistentVolumeClaim): boolean {
  return claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined || claim.spec.storageClassName != null;
}

/** upstream IsVolumeBoundToClaim: claimRef names the claim, and its UID (when set) is the claim's. */
export function isVolumeBoundToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.spec.claimRef;
  if (!ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** upstream CheckVolumeModeMismatches: an unset mode is Filesystem on both sides. */
export function volumeModeMismatches(claim: PersistentVolumeClaim, volume: PersistentVolume): boolean {
  return (claim.spec.volumeMode || 'Filesystem') !== (volume.spec.volumeMode || 'Filesystem');
}

/** upstream CheckAccessModes: the volume offers every mode the claim asks for. */
export function accessModesSatisfied(claim: PersistentVolumeClaim, volume: PersistentVolume): boolean {
  const offered = new Set(volume.spec.accessModes ?? []);
  return (claim.spec.accessModes ?? []).every((m) => offered.has(m));
}

const storageOf = (q: unknown) => tryParseQuantity(q ?? '0')!;
const requested = (claim: PersistentVolumeClaim) => storageOf(claim.spec.resources?.requests?.storage);
const capacity = (volume: PersistentVolume) => storageOf(volume.spec.capacity?.storage);

/** upstream FindMatchingVolume without a node (the controller's path): a volume pre-bound to the claim, else the smallest fitting Available one. */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const want = requested(claim);
  const wantClass = claimClass(claim);
  const selector = claim.spec.selector ? labelSelectorFromObject(claim.spec.selector) : undefined;
  let smallest: PersistentVolume | undefined;
  for (const volume of volumes) {
    if (volume.spec.claimRef && !isVolumeBoundToClaim(volume, claim)) continue;
    const size = capacity(volume);
    if (size.cmp(want) < 0 || volumeModeMismatches(claim, volume) || volume.metadata.deletionTimestamp) continue;
    // A volume the user pre-bound to this claim wins outright.
    if (isVolumeBoundToClaim(volume, claim)) return volume;
    // WaitForFirstConsumer: the scheduler binds unbound volumes once it has chosen a node.
    if (delayBinding) continue;
    // Volumes not yet Available are skipped: binding them would mostly end in API conflicts.
    if (volume.status?.phase !== 'Available') continue;
    if (selector && !matchesLabels(selector, volume.metadata.labels ?? {})) continue;
    if (volumeClass(volume) !== wantClass) continue;
    if (!smallest || capacity(smallest).cmp(size) > 0) smallest = volume;
  }
  return smallest;
}

/**
 * upstream persistentVolumeOrderedIndex.findBestMatchForClaim: volumes are grouped by their exact access-mode set, and the
 * groups offering every requested mode are tried from the fewest modes up, so a RWO claim prefers a RWO volume to a RWO,RWX one.
 */
export function findBestMatchForClaim(claim: PersistentVolumeClaim, volumes: PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const groups = new Map<string, PersistentVolume[]>();
  for (const v of volumes) {
    const key = [...new Set(v.spec.accessModes ?? [])].sort().join(',');
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const candidates = [...groups.values()].filter((g) => accessModesSatisfied(claim, g[0])).sort((a, b) => new Set(a[0].spec.accessModes).size - new Set(b[0].spec.accessModes).size);
  for (const group of candidates) {
    const found = findMatchingVolume(claim, group, delayBinding);
    if (found) return found;
  }
  return undefined;
}

/** upstream checkVolumeSatisfyClaim: why a volume the claim names cannot be bound to it, or undefined when it can. */
export function checkVolumeSatisfyClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): string | undefined {
  if (volume.metadata.deletionTimestamp) return `the volume is marked for deletion "${volume.metadata.name}"`;
  if (capacity(volume).value() < requested(claim).value()) return 'requested PV is too small';
  if (volumeClass(volume) !== claimClass(claim)) return 'storageClassName does not match';
  if (volumeModeMismatches(claim, volume)) return 'incompatible volumeMode';
  if (!accessModesSatisfied(claim, volume)) return 'incompatible accessMode';
  return undefined;
}

/** upstream IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer; throws when the class has no mode. */
export function isDelayBindingMode(claim: PersistentVolumeClaim, classes: StorageClass[]): boolean {
  const name = claimClass(claim);
  if (!name) return false;
  const sc = classes.find((c) => c.metadata.name === name);
  if (!sc) return false;
  if (!sc.volumeBindingMode) throw new Error(`VolumeBindingMode not set for StorageClass "${name}"`);
  return sc.volumeBindingMode === 'WaitForFirstConsumer';
}

/** upstream IsDelayBindingProvisioning: the scheduler has picked a node for the claim. */
export function isDelayBindingProvisioning(claim: PersistentVolumeClaim): boolean {
  return claim.metadata.annotations?.[ANN_SELECTED_NODE] !== undefined;
}

/** upstream GetDefaultClass: the newest default class (ties broken by name), or undefined. */
export function defaultClass(classes: StorageClass[]): StorageClass | undefined {
  const t = (c: StorageClass) => Date.parse(c.metadata.creationTimestamp ?? '') || 0;
  return classes.filter(isDefaultStorageClass).sort((a, b) => t(b) - t(a) || (a.metadata.name! < b.metadata.name! ? -1 : 1))[0];
}
