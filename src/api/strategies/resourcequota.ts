// ResourceQuota strategy: canonical quantities, resource-name and scope validation, REQUEST/LIMIT table.
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../../machinery/errors';
import { nameIsDNSSubdomain, validateObjectMetaFormat } from '../../machinery/validation';
import type { Strategy } from '../types';
import { canonicalizeResourceList, decodingQuantities } from './quantities';
import { quantities, validateResourceName, validateResourceQuantityValue } from './resources';
import { AGE, age, col } from './table-helpers';

const SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];

/** upstream ValidateResourceQuotaSpec (names, values, scopes). */
export function validateQuotaSpec(spec: ResourceQuota['spec']): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, q] of quantities(spec?.hard as Record<string, unknown>)) {
    const p = `spec.hard[${name}]`;
    errs.push(...validateResourceName(name, p), ...validateResourceQuantityValue(name, q, p));
  }
  (spec?.scopes ?? []).forEach((s) => {
    if (!SCOPES.includes(s)) errs.push(field.invalid('spec.scopes', spec?.scopes, 'unsupported scope'));
  });
  for (const [i, e] of (spec?.scopeSelector?.matchExpressions ?? []).entries()) {
    const p = `spec.scopeSelector.matchExpressions[${i}]`;
    if (!SCOPES.includes(e.scopeName)) errs.push(field.invalid(`${p}.scopeName`, e.scopeName, 'unsupported scope'));
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) errs.push(field.invalid(`${p}.operator`, e.operator, 'not a valid selector operator'));
  }
  return errs;
}

/** Sorted "name: used/hard" pairs split into request and limit columns (upstream printResourceQuota). */
export function quotaCells(rq: ResourceQuota): [string, string] {
  const hard = (rq.status?.hard ?? {}) as Record<string, string>;
  const used = (rq.status?.used ?? {}) as Record<string, string>;
  const req: string[] = [];
  const lim: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const text = `${name}: ${used[name] ?? '0'}/${hard[name]}`;
    (name.split('.').length > 1 && name.startsWith('limits.') ? lim : req).push(text);
  }
  return [req.join(', '), lim.join(', ')];
}

/** The ResourceQuota strategy. */
export const resourceQuotaStrategy: Strategy = {
  defaults: (obj) =>
    decodingQuantities('ResourceQuota', 'v1', () => {
      canonicalizeResourceList(obj.spec?.hard, false);
      canonicalizeResourceList(obj.status?.hard, false);
      canonicalizeResourceList(obj.status?.used, false);
    }),
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateQuotaSpec(obj.spec)],
  columns: [
    col('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    AGE,
  ],
  row: (obj, now) => [...quotaCells(obj as ResourceQuota), age(obj, now)],
};
