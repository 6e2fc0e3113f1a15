// PersistentVolumeClaim strategy: Filesystem/Pending defaults, storage request and access-mode validation, mostly immutable spec, STATUS…VOLUMEMODE table.
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../../machinery/errors';
import { invalidEach, isDNS1123Subdomain, nameIsDNSSubdomain, semanticEqual, validateLabelSelector, validateObjectMetaFormat } from '../../machinery/validation';
import { tryParseQuantity } from '../../machinery/quantity';
import type { KObject, Strategy } from '../types';
import { accessModesString, validateAccessModes } from './persistentvolume';
import { canonicalizeResourceList, decodingQuantities } from './quantities';
import { AGE, age, col } from './table-helpers';

type Spec = NonNullable<PersistentVolumeClaim['spec']>;

/** upstream ValidatePersistentVolumeClaimSpec (main rules). */
export function validatePVCSpec(spec: Spec | undefined): FieldError[] {
  const s = spec ?? ({} as Spec);
  const errs = validateAccessModes(s.accessModes, 'spec.accessModes', 'at least 1 access mode is required');
  if (s.selector) errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
  const raw = s.resources?.requests?.storage;
  if (raw === undefined) errs.push(field.required('spec.resources[storage]'));
  else {
    const q = tryParseQuantity(raw);
    if (q && q.sign() <= 0) errs.push(field.invalid('spec.resources[storage]', q.toString(), 'must be greater than zero'));
  }
  const vm = s.volumeMode ?? '';
  if (vm && !['Block', 'Filesystem'].includes(vm)) errs.push(field.notSupported('spec.volumeMode', vm, ['Block', 'Filesystem']));
  if (s.storageClassName) errs.push(...invalidEach('spec.storageClassName', s.storageClassName, isDNS1123Subdomain(s.storageClassName)));
  return errs;
}

/** upstream ValidatePersistentVolumeClaimUpdate: only requests (growing), a first volumeName and the attributes class may change. */
export function validatePVCUpdate(spec: Spec, prev: Spec): FieldError[] {
  const errs: FieldError[] = [];
  const strip = (s: Spec, volumeName: string | undefined, storageClassName: string | undefined) => ({
    ...s,
    resources: { ...s.resources, requests: undefined },
    volumeName,
    storageClassName,
    volumeAttributesClassName: undefined,
  });
  const volumeName = prev.volumeName ? spec.volumeName : undefined;
  // upstream RetroactiveDefaultStorageClass (GA in 1.28): a claim without a class may be given one, once.
  const storageClassName = prev.storageClassName == null ? undefined : spec.storageClassName;
  if (!semanticEqual(strip(spec, volumeName, storageClassName), strip(prev, prev.volumeName || undefined, prev.storageClassName ?? undefined)))
    errs.push(field.forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  const next = tryParseQuantity(spec.resources?.requests?.storage);
  const old = tryParseQuantity(prev.resources?.requests?.storage);
  if (next && old && next.cmp(old) < 0) errs.push(field.forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  return errs;
}

/** The PersistentVolumeClaim strategy. */
export const persistentVolumeClaimStrategy: Strategy = {
  defaults: (obj) =>
    decodingQuantities('PersistentVolumeClaim', 'v1', () => {
      const spec = (obj.spec ??= {}) as Spec;
      spec.volumeMode ||= 'Filesystem';
      canonicalizeResourceList(spec.resources?.requests as Record<string, unknown>, false);
      canonicalizeResourceList(spec.resources?.limits as Record<string, unknown>, false);
      if (obj.status) {
        obj.status.phase ||= 'Pending';
        canonicalizeResourceList(obj.status.capacity, false);
      }
    }),
  prepareForCreate(obj: KObject) {
    obj.status = { phase: 'Pending' };
  },
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validatePVCSpec(obj.spec)],
  validateUpdate: (obj, old) => validatePVCUpdate((obj.spec ?? {}) as Spec, (old.spec ?? {}) as Spec),
  columns: [
    col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    col('StorageClass', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
    AGE,
    col('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', 'string', 1),
  ],
  row(obj, now) {
    const pvc = obj as PersistentVolumeClaim;
    const s = pvc.spec ?? {};
    const bound = !!s.volumeName;
    // The beta annotation wins over the field, as upstream's GetPersistentVolume(Claim)Class.
    const storageClass = obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? s.storageClassName ?? '';
    return [
      obj.metadata.deletionTimestamp ? 'Terminating' : pvc.status?.phase ?? '',
      s.volumeName ?? '',
      bound ? String(pvc.status?.capacity?.storage ?? '0') : '',
      bound ? accessModesString(pvc.status?.accessModes) : '',
      storageClass,
      s.volumeAttributesClassName ?? '<unset>',
      age(obj, now),
      s.volumeMode ?? '<unset>',
    ];
  },
};
