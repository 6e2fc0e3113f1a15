// ConfigMap strategy: key and 1 MiB size validation, the `immutable` flag, DATA table.
import { field, type FieldError } from '../../machinery/errors';
import { invalidEach, isConfigMapKey, nameIsDNSSubdomain, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { AGE, age, col } from './table-helpers';

/** upstream MaxSecretSize, shared by ConfigMaps. */
export const MAX_DATA_SIZE = 1024 * 1024;

/** Bytes of a base64 value once decoded. */
export const decodedLength = (b64: string) => Buffer.from(b64, 'base64').length;

/** upstream ValidateConfigMap (beyond metadata). */
export function validateConfigMapData(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = (obj.data ?? {}) as Record<string, string>;
  const binary = (obj.binaryData ?? {}) as Record<string, string>;
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...invalidEach(`data[${k}]`, k, isConfigMapKey(k)));
    if (k in binary) errs.push(field.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(String(v));
  }
  for (const [k, v] of Object.entries(binary)) {
    errs.push(...invalidEach(`binaryData[${k}]`, k, isConfigMapKey(k)));
    if (k in data) errs.push(field.invalid(`binaryData[${k}]`, k, 'duplicate of key present in data'));
    size += decodedLength(String(v));
  }
  if (size > MAX_DATA_SIZE) errs.push(field.tooLong('', MAX_DATA_SIZE));
  return errs;
}

/** Rules for objects marked `immutable: true` (ConfigMap and Secret): the flag stays and the payload fields never change. */
export function validateImmutableData(obj: KObject, old: KObject, payload: string[]): FieldError[] {
  if (!old.immutable) return [];
  const errs: FieldError[] = [];
  if (!obj.immutable) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const k of payload)
    if (JSON.stringify(obj[k] ?? {}) !== JSON.stringify(old[k] ?? {})) errs.push(field.forbidden(k, 'field is immutable when `immutable` is set'));
  return errs;
}

/** The ConfigMap strategy. */
export const configMapStrategy: Strategy = {
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateConfigMapData(obj)],
  validateUpdate: (obj, old) => validateImmutableData(obj, old, ['data', 'binaryData']),
  columns: [col('Data', 'Data contains the configuration data.'), AGE],
  row: (obj, now) => [Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length, age(obj, now)],
};
