// PersistentVolume strategy: Retain/Filesystem/Pending defaults, capacity, access-mode and source validation, CAPACITY…VOLUMEMODE table.
import type { PersistentVolume } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../../machinery/errors';
import { nameIsDNSSubdomain, notSupportedRendered, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { goStringMap } from './go-format';
import { canonicalizeResourceList, decodingQuantities } from './quantities';
import { quantities } from './resources';
import { AGE, age, col } from './table-helpers';

/** Access modes as upstream lists them in errors. */
export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

/** `RWO,ROX,RWX,RWOP` as upstream's GetAccessModesAsString (fixed order, no duplicates). */
export function accessModesString(modes: string[] | undefined): string {
  const m = new Set(modes ?? []);
  return [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ]
    .filter(([k]) => m.has(k))
    .map(([, v]) => v)
    .join(',');
}

/** Access modes: at least one, each known, ReadWriteOncePod alone. */
export function validateAccessModes(modes: string[] | undefined, path: string, requiredDetail = ''): FieldError[] {
  const list = modes ?? [];
  if (!list.length) return [field.required(path, requiredDetail)];
  const errs: FieldError[] = [];
  for (const m of list) if (!ACCESS_MODES.includes(m)) errs.push(field.notSupported(path, m, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) errs.push(field.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

const PV_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'nfs', 'rbd', 'quobyte', 'cinder', 'cephfs', 'fc', 'flocker',
  'flexVolume', 'azureFile', 'vsphereVolume', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local', 'storageos', 'csi', 'iscsi',
];

/** upstream ValidatePersistentVolumeSpec (main rules). */
export function validatePVSpec(spec: PersistentVolume['spec']): FieldError[] {
  const s = spec ?? {};
  const errs = validateAccessModes(s.accessModes, 'spec.accessModes');
  const capacity = s.capacity ?? {};
  if (!Object.keys(capacity).length) errs.push(field.required('spec.capacity'));
  else if (!('storage' in capacity) || Object.keys(capacity).length > 1)
    errs.push(notSupportedRendered('spec.capacity', goStringMap(capacity as Record<string, string>).replace('map[string]string', 'core.ResourceList'), ['storage']));
  for (const [k, q] of quantities(capacity)) if (q.sign() <= 0) errs.push(field.invalid(`spec.capacity[${k}]`, q.toString(), 'must be greater than zero'));
  const rp = s.persistentVolumeReclaimPolicy ?? '';
  if (rp && !['Delete', 'Recycle', 'Retain'].includes(rp)) errs.push(field.notSupported('spec.persistentVolumeReclaimPolicy', rp, ['Delete', 'Recycle', 'Retain']));
  const vm = s.volumeMode ?? '';
  if (vm && !['Block', 'Filesystem'].includes(vm)) errs.push(field.notSupported('spec.volumeMode', vm, ['Block', 'Filesystem']));
  const present = PV_SOURCES.filter((k) => (s as Record<string, unknown>)[k] !== undefined);
  if (present.length === 0) errs.push(field.required('spec', 'must specify a volume type'));
  for (const extra of present.slice(1)) errs.push(field.forbidden(`spec.${extra}`, 'may not specify more than 1 volume type'));
  if (s.hostPath && !s.hostPath.path) errs.push(field.required('spec.hostPath.path'));
  if (s.local) {
    if (!s.local.path) errs.push(field.required('spec.local.path'));
    if (!s.nodeAffinity) errs.push(field.required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  if (s.nfs) {
    if (!s.nfs.server) errs.push(field.required('spec.nfs.server'));
    if (!s.nfs.path) errs.push(field.required('spec.nfs.path'));
  }
  if (s.csi) {
    if (!s.csi.driver) errs.push(field.required('spec.csi.driver'));
    if (!s.csi.volumeHandle) errs.push(field.required('spec.csi.volumeHandle'));
  }
  return errs;
}

/** The PersistentVolume strategy. */
export const persistentVolumeStrategy: Strategy = {
  defaults: (obj) =>
    decodingQuantities('PersistentVolume', 'v1', () => {
      const spec = (obj.spec ??= {});
      spec.persistentVolumeReclaimPolicy ||= 'Retain';
      spec.volumeMode ||= 'Filesystem';
      if (spec.hostPath && spec.hostPath.type === undefined) spec.hostPath.type = '';
      canonicalizeResourceList(spec.capacity, false);
      if (obj.status && !obj.status.phase) obj.status.phase = 'Pending';
    }),
  prepareForCreate(obj: KObject) {
    obj.status = { phase: 'Pending' };
  },
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, false, nameIsDNSSubdomain), ...validatePVSpec(obj.spec)],
  columns: [
    col('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    col('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
    col('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    col('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    col('StorageClass', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
    col('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    AGE,
    col('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', 'string', 1),
  ],
  row(obj, now) {
    const pv = obj as PersistentVolume;
    const s = pv.spec ?? {};
    const claim = s.claimRef ? `${s.claimRef.namespace ?? ''}/${s.claimRef.name ?? ''}` : '';
    // The beta annotation wins over the field, as upstream's GetPersistentVolume(Claim)Class.
    const storageClass = obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? s.storageClassName ?? '';
    return [
      String(s.capacity?.storage ?? '0'),
      accessModesString(s.accessModes),
      s.persistentVolumeReclaimPolicy ?? '',
      obj.metadata.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? '',
      claim,
      storageClass,
      s.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      age(obj, now),
      s.volumeMode ?? '<unset>',
    ];
  },
};
