// The storage objects the volume controllers read and write, typed enough to work with, and the annotations and finalizers they share.
import type { PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, PersistentVolumeSpec, PersistentVolumeStatus } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';

/** A core/v1 PersistentVolume. */
export interface PersistentVolume extends KObject {
  spec: PersistentVolumeSpec;
  status?: PersistentVolumeStatus;
}

/** A core/v1 PersistentVolumeClaim. */
export interface PersistentVolumeClaim extends KObject {
  spec: PersistentVolumeClaimSpec;
  status?: PersistentVolumeClaimStatus;
}

/** A storage.k8s.io/v1 StorageClass (the fields the binder reads). */
export interface StorageClass extends KObject {
  provisioner: string;
  volumeBindingMode?: string;
}

/** storage.k8s.io/v1 storageclasses (not yet in client R). */

/** Set on both objects when the controller (not the user) made the binding. */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** Set on a claim once its binding is complete: the claim is then synced as bound. */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** The node the scheduler chose for a WaitForFirstConsumer claim. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** The provisioner asked to create a volume for a claim (GA and beta spelling). */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** The deprecated class annotation, which wins over spec.storageClassName. */
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** The plugin that dynamically provisioned a volume. */
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';

/** Kept on claims while a pod uses them (StorageObjectInUseProtection). */
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
/** Kept on volumes while they are bound. */
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
