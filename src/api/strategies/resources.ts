// Resource-name rules and resource-list validation shared by pods, quotas, limit ranges, HPAs and claims (upstream core helper).
import { field, type FieldError } from '../../machinery/errors';
import { tryParseQuantity, type Quantity } from '../../machinery/quantity';
import { IS_NEGATIVE_MSG, invalidEach, isQualifiedName } from '../../machinery/validation';

const STANDARD_CONTAINER = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD = new Set([
  'cpu',
  'memory',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'storage',
  'ephemeral-storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const INTEGER = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers']);

/** Hugepages resources such as hugepages-2Mi. */
export const isHugePageResourceName = (name: string) => name.startsWith('hugepages-');

/** Names without a domain, or in the kubernetes.io domain. */
export const isNativeResource = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');

/** Extended resources: domain-qualified, not native, valid as a requests.<name> quota key. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** Requests may be below limits for native resources other than hugepages. */
export const isOvercommitAllowed = (name: string) => isNativeResource(name) && !isHugePageResourceName(name);

/** Resources counted in whole units. */
export const isIntegerResourceName = (name: string) => INTEGER.has(name) || isExtendedResourceName(name);

/** upstream validateResourceName: a qualified name, and standard when it has no domain. */
export function validateResourceName(name: string, path: string): FieldError[] {
  const errs = invalidEach(path, name, isQualifiedName(name));
  if (errs.length) return errs;
  if (!name.includes('/') && !STANDARD.has(name) && !isHugePageResourceName(name) && !name.startsWith('requests.hugepages-'))
    errs.push(field.invalid(path, name, 'must be a standard resource type or fully qualified'));
  return errs;
}

/** upstream validateContainerResourceName: cpu, memory, ephemeral-storage, hugepages-* or an extended resource. */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER.has(name) && !isHugePageResourceName(name)) errs.push(field.invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push(field.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** Non-negative, and whole for integer resources (upstream ValidateResourceQuantityValue). */
export function validateResourceQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(field.invalid(path, q.toString(), IS_NEGATIVE_MSG));
  if (isIntegerResourceName(name) && q.milliValue() % 1000n !== 0n) errs.push(field.invalid(path, q.toString(), 'must be an integer'));
  return errs;
}

/** Parses every entry of an already-defaulted resource list (values that fail were rejected as 400 during defaulting). */
export function quantities(list: Record<string, unknown> | undefined): [string, Quantity][] {
  const out: [string, Quantity][] = [];
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = tryParseQuantity(v);
    if (q) out.push([k, q]);
  }
  return out;
}

/** Container requests and limits: names, values, and requests ≤ limits (equal for non-overcommittable ones). */
export function validateResourceRequirements(
  res: { limits?: Record<string, unknown>; requests?: Record<string, unknown> } | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const limits = new Map(quantities(res?.limits));
  for (const [name, q] of limits) {
    const p = `${path}.limits[${name}]`;
    errs.push(...validateContainerResourceName(name, p), ...validateResourceQuantityValue(name, q, p));
  }
  for (const [name, q] of quantities(res?.requests)) {
    const p = `${path}.requests[${name}]`;
    errs.push(...validateContainerResourceName(name, p), ...validateResourceQuantityValue(name, q, p));
    const limit = limits.get(name);
    if (limit) {
      if (q.cmp(limit) !== 0 && !isOvercommitAllowed(name))
        errs.push(field.invalid(`${path}.requests`, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      else if (q.cmp(limit) > 0)
        errs.push(field.invalid(`${path}.requests`, q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
    } else if (!isOvercommitAllowed(name)) {
      errs.push(field.required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}
