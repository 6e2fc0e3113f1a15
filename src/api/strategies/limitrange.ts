// LimitRange strategy: container-item defaults (default ← max, defaultRequest ← default/min), ordering checks with upstream messages.
import type { LimitRange, LimitRangeItem } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../../machinery/errors';
import { parseQuantity, type Quantity } from '../../machinery/quantity';
import { nameIsDNSSubdomain, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { canonicalizeResourceList, decodingQuantities } from './quantities';
import { quantities, validateResourceName } from './resources';
import { CREATED_AT_COLUMNS, createdAtRow } from './table-helpers';

const KINDS = ['Container', 'PersistentVolumeClaim', 'Pod'];
const LISTS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

/** SetDefaults_LimitRangeItem for Container items, after canonicalizing every quantity. */
export function defaultLimitRange(obj: KObject): void {
  for (const item of (obj.spec?.limits ?? []) as LimitRangeItem[]) {
    for (const k of LISTS) canonicalizeResourceList(item[k] as Record<string, unknown>, false);
    if (item.type !== 'Container') continue;
    const def = (item.default ??= {});
    const req = (item.defaultRequest ??= {});
    for (const [k, v] of Object.entries(item.max ?? {})) if (!(k in def)) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (!(k in req)) req[k] = v;
    for (const [k, v] of Object.entries(item.min ?? {})) if (!(k in req)) req[k] = v;
  }
}

/** upstream ValidateLimitRange (spec part). */
export function validateLimitRangeSpec(spec: LimitRange['spec']): FieldError[] {
  const errs: FieldError[] = [];
  const seenTypes = new Set<string>();
  (spec?.limits ?? []).forEach((item, i) => {
    const p = `spec.limits[${i}]`;
    if (!KINDS.includes(item.type)) errs.push(field.notSupported(`${p}.type`, item.type, KINDS));
    if (seenTypes.has(item.type)) errs.push(field.duplicate(`${p}.type`, item.type));
    seenTypes.add(item.type);
    const lists: Record<string, Map<string, Quantity>> = {};
    for (const k of LISTS) {
      lists[k] = new Map(quantities(item[k] as Record<string, unknown>));
      for (const name of lists[k].keys()) errs.push(...validateResourceName(name, `${p}.${k}[${name}]`));
    }
    if (item.type === 'Pod') {
      if (lists.default.size) errs.push(field.forbidden(`${p}.default`, "may not be specified when `type` is 'Pod'"));
      if (lists.defaultRequest.size) errs.push(field.forbidden(`${p}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    }
    if (item.type === 'PersistentVolumeClaim' && !lists.min.has('storage') && !lists.max.has('storage'))
      errs.push(field.required(`${p}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
    const keys = new Set(LISTS.flatMap((k) => [...lists[k].keys()]));
    for (const k of keys) {
      const [max, min, def, req, ratio] = LISTS.map((l) => lists[l].get(k));
      const s = (q: Quantity) => q.toString();
      if (min && max && min.cmp(max) > 0) errs.push(field.invalid(`${p}.min[${k}]`, s(min), `min value ${s(min)} is greater than max value ${s(max)}`));
      if (req && min && min.cmp(req) > 0) errs.push(field.invalid(`${p}.defaultRequest[${k}]`, s(req), `min value ${s(min)} is greater than default request value ${s(req)}`));
      if (req && max && req.cmp(max) > 0) errs.push(field.invalid(`${p}.defaultRequest[${k}]`, s(req), `default request value ${s(req)} is greater than max value ${s(max)}`));
      if (req && def && req.cmp(def) > 0) errs.push(field.invalid(`${p}.defaultRequest[${k}]`, s(req), `default request value ${s(req)} is greater than default limit value ${s(def)}`));
      if (def && min && min.cmp(def) > 0) errs.push(field.invalid(`${p}.default[${k}]`, s(min), `min value ${s(min)} is greater than default value ${s(def)}`));
      if (def && max && def.cmp(max) > 0) errs.push(field.invalid(`${p}.default[${k}]`, s(max), `default value ${s(def)} is greater than max value ${s(max)}`));
      if (ratio && ratio.cmp(parseQuantity('1')) < 0) errs.push(field.invalid(`${p}.maxLimitRequestRatio[${k}]`, s(ratio), `ratio ${s(ratio)} is less than 1`));
    }
  });
  return errs;
}

/** The LimitRange strategy (upstream has no printer for it: the default NAME / CREATED AT table). */
export const limitRangeStrategy: Strategy = {
  defaults: (obj) => decodingQuantities('LimitRange', 'v1', () => defaultLimitRange(obj)),
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateLimitRangeSpec(obj.spec)],
  columns: CREATED_AT_COLUMNS,
  row: createdAtRow,
};
