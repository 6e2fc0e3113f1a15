// Secret strategy: Opaque default, stringData folded into data as the v1 conversion does, per-type validation, TYPE/DATA table, `type` field selector.
import { badRequest, field, type FieldError } from '../../machinery/errors';
import { invalidEach, isConfigMapKey, nameIsDNSSubdomain, validateImmutableField, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { MAX_DATA_SIZE, decodedLength, validateImmutableData } from './configmap';
import { AGE, age, col } from './table-helpers';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Defaults type to Opaque, merges stringData over data (base64) and rejects malformed base64 with a 400 as the decoder would. */
export function defaultSecret(obj: KObject): void {
  obj.type ||= 'Opaque';
  for (const v of Object.values((obj.data ?? {}) as Record<string, unknown>)) {
    const text = String(v ?? '');
    if (text.length % 4 === 0 && BASE64.test(text)) continue;
    // Go reports the first illegal byte, or the start of a truncated final quantum.
    const bad = text.search(/[^A-Za-z0-9+/=]/);
    const at = bad >= 0 ? bad : Math.floor(text.length / 4) * 4;
    throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`);
  }
  if (obj.stringData) {
    obj.data ??= {};
    for (const [k, v] of Object.entries(obj.stringData as Record<string, string>)) obj.data[k] = Buffer.from(String(v)).toString('base64');
    delete obj.stringData;
  }
}

function requiredKeys(data: Record<string, string>, keys: string[]): FieldError[] {
  return keys.filter((k) => !(k in data)).map((k) => field.required(`data[${k}]`));
}

/** upstream ValidateSecret (beyond metadata). */
export function validateSecretData(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = (obj.data ?? {}) as Record<string, string>;
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...invalidEach(`data[${k}]`, k, isConfigMapKey(k)));
    size += decodedLength(v);
  }
  if (size > MAX_DATA_SIZE) errs.push(field.tooLong('data', MAX_DATA_SIZE));
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      if (!obj.metadata.annotations?.['kubernetes.io/service-account.name'])
        errs.push(field.required('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = obj.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!(key in data)) {
        errs.push(field.required(`data[${key}]`));
        break;
      }
      try {
        JSON.parse(Buffer.from(data[key], 'base64').toString());
      } catch (e) {
        errs.push(field.invalid(`data[${key}]`, '<secret contents redacted>', (e as Error).message));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) errs.push(...requiredKeys(data, ['username', 'password']));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errs.push(field.required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      errs.push(...requiredKeys(data, ['tls.crt', 'tls.key']));
      break;
  }
  return errs;
}

/** The Secret strategy. */
export const secretStrategy: Strategy = {
  defaults: defaultSecret,
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateSecretData(obj)],
  validateUpdate: (obj, old) => [...validateImmutableField(obj.type, old.type, 'type'), ...validateImmutableData(obj, old, ['data'])],
  columns: [col('Type', 'Used to facilitate programmatic handling of secret data.'), col('Data', 'Data contains the secret data.'), AGE],
  row: (obj, now) => [obj.type ?? '', Object.keys(obj.data ?? {}).length, age(obj, now)],
  selectableFields: (obj) => ({ type: obj.type ?? '' }),
};
