// Test objects for the PersistentVolume controller's tests.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../types';

/** A hostPath volume, Available unless told otherwise. */
export function pv(name: string, size: string, extra: { modes?: string[]; cls?: string; labels?: Record<string, string>; phase?: string; claimRef?: PersistentVolume['spec']['claimRef']; policy?: string; path?: string; mode?: string } = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '1', ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: {
      capacity: { storage: size },
      accessModes: extra.modes ?? ['ReadWriteOnce'],
      storageClassName: extra.cls,
      claimRef: extra.claimRef,
      persistentVolumeReclaimPolicy: extra.policy ?? 'Retain',
      volumeMode: extra.mode ?? 'Filesystem',
      hostPath: { path: extra.path ?? `/data/${name}` },
    },
    status: { phase: extra.phase ?? 'Available' },
  };
}

/** A Pending claim in namespace "ns". */
export function pvc(name: string, size: string, extra: { modes?: string[]; cls?: string | null; selector?: PersistentVolumeClaim['spec']['selector']; volumeName?: string; annotations?: Record<string, string>; mode?: string } = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: '1', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      accessModes: extra.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: size } },
      storageClassName: extra.cls === null ? undefined : extra.cls,
      selector: extra.selector,
      volumeName: extra.volumeName,
      volumeMode: extra.mode ?? 'Filesystem',
    },
    status: { phase: 'Pending' },
  };
}

/** A StorageClass. */
export function sc(name: string, mode = 'Immediate', isDefault = false, provisioner = 'example.com/nfs', created = '2026-01-01T00:00:00Z'): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, creationTimestamp: created, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    provisioner,
    volumeBindingMode: mode,
  };
}

/** A claimRef naming a claim of namespace "ns". */
export const ref = (name: string, uid?: string) => ({ kind: 'PersistentVolumeClaim', namespace: 'ns', name, uid, apiVersion: 'v1' });
