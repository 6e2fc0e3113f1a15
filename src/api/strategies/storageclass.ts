// StorageClass strategy: Delete/Immediate defaults, provisioner and policy validation, immutable fields, "(default)" NAME table.
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { field, type FieldError } from '../../machinery/errors';
import { invalidEach, isQualifiedName, nameIsDNSSubdomain, semanticEqual, validateImmutableField, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { AGE, age, col } from './table-helpers';

/** upstream ValidateStorageClass (beyond metadata). */
export function validateStorageClassFields(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  if (!sc.provisioner) errs.push(field.required('provisioner'));
  else {
    if (sc.provisioner.length > 63) errs.push(field.tooLong('provisioner', 63));
    errs.push(...invalidEach('provisioner', sc.provisioner, isQualifiedName(sc.provisioner.toLowerCase())));
  }
  for (const [k] of Object.entries(sc.parameters ?? {})) if (!k) errs.push(field.invalid('parameters', k, 'key must not be empty'));
  if (sc.reclaimPolicy !== undefined && !['Delete', 'Retain'].includes(sc.reclaimPolicy)) errs.push(field.notSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']));
  if (sc.volumeBindingMode === undefined) errs.push(field.required('volumeBindingMode'));
  else if (!['Immediate', 'WaitForFirstConsumer'].includes(sc.volumeBindingMode))
    errs.push(field.notSupported('volumeBindingMode', sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
  return errs;
}

/** upstream ValidateStorageClassUpdate. */
export function validateStorageClassUpdate(obj: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!semanticEqual(obj.parameters, old.parameters)) errs.push(field.forbidden('parameters', 'updates to parameters are forbidden.'));
  if (obj.provisioner !== old.provisioner) errs.push(field.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (obj.reclaimPolicy !== old.reclaimPolicy) errs.push(field.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutableField(obj.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  return errs;
}

/** True when annotated as the cluster's default class (GA or beta annotation). */
export function isDefaultStorageClass(obj: KObject): boolean {
  const a = obj.metadata.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

/** The StorageClass strategy; its table supplies NAME itself because the default class is marked there. */
export const storageClassStrategy: Strategy = {
  defaults(obj) {
    obj.reclaimPolicy ||= 'Delete';
    obj.volumeBindingMode ||= 'Immediate';
  },
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, false, nameIsDNSSubdomain), ...validateStorageClassFields(obj as StorageClass)],
  validateUpdate: validateStorageClassUpdate,
  columns: [
    { ...col('Name', 'Name must be unique within a namespace.'), format: 'name' },
    col('Provisioner', 'provisioner indicates the type of the provisioner.'),
    col('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    col('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    col('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    AGE,
  ],
  row(obj, now) {
    const sc = obj as StorageClass;
    const name = `${obj.metadata.name ?? ''}${isDefaultStorageClass(obj) ? ' (default)' : ''}`;
    return [name, sc.provisioner, sc.reclaimPolicy ?? 'Delete', sc.volumeBindingMode ?? 'Immediate', sc.allowVolumeExpansion ?? false, age(obj, now)];
  },
};
