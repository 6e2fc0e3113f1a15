// IngressClass strategy: parameters scope default, controller and parameters validation, immutable controller, CONTROLLER/PARAMETERS table.
import type { IngressClass } from 'kubernetes-types/networking/v1';
import { field, type FieldError } from '../../machinery/errors';
import { invalidEach, isDNS1123Subdomain, nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment, regexError, validateImmutableField, validateObjectMetaFormat } from '../../machinery/validation';
import type { Strategy } from '../types';
import { AGE, age, col } from './table-helpers';

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

/** upstream IsDomainPrefixedPath, e.g. "k8s.io/ingress-nginx". */
export function validateDomainPrefixedPath(value: string, path: string): FieldError[] {
  if (!value) return [field.required(path)];
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return [field.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = value.slice(0, slash);
  const rest = value.slice(slash + 1);
  const errs = invalidEach(path, host, isDNS1123Subdomain(host));
  if (!new RegExp(`^${HTTP_PATH_FMT}$`).test(rest)) errs.push(field.invalid(path, rest, regexError('Invalid path', HTTP_PATH_FMT)));
  return errs;
}

/** upstream validateIngressClassSpec. */
export function validateIngressClassSpec(spec: IngressClass['spec']): FieldError[] {
  const controller = spec?.controller ?? '';
  const errs: FieldError[] = [];
  if (controller.length > 250) errs.push(field.tooLong('spec.controller', 250));
  errs.push(...validateDomainPrefixedPath(controller, 'spec.controller'));
  const p = spec?.parameters;
  if (!p) return errs;
  const path = 'spec.parameters';
  if (p.apiGroup) errs.push(...invalidEach(`${path}.apiGroup`, p.apiGroup, isDNS1123Subdomain(p.apiGroup)));
  if (!p.kind) errs.push(field.required(`${path}.kind`, 'kind is required'));
  else errs.push(...invalidEach(`${path}.kind`, p.kind, nameIsPathSegment(p.kind, false)));
  if (!p.name) errs.push(field.required(`${path}.name`, 'name is required'));
  else errs.push(...invalidEach(`${path}.name`, p.name, nameIsPathSegment(p.name, false)));
  if (p.scope === undefined) return [...errs, field.required(`${path}.scope`)];
  if (p.scope !== 'Cluster' && p.scope !== 'Namespace') errs.push(field.notSupported(`${path}.scope`, p.scope, ['Cluster', 'Namespace']));
  else if (p.scope === 'Namespace') {
    if (p.namespace === undefined) errs.push(field.required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else errs.push(...invalidEach(`${path}.namespace`, p.namespace, nameIsDNSLabel(p.namespace, false)));
  } else if (p.namespace !== undefined) errs.push(field.forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  return errs;
}

/** The IngressClass strategy. */
export const ingressClassStrategy: Strategy = {
  defaults(obj) {
    const p = obj.spec?.parameters;
    if (p && p.scope === undefined) p.scope = 'Cluster';
  },
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, false, nameIsDNSSubdomain), ...validateIngressClassSpec(obj.spec)],
  validateUpdate: (obj, old) => validateImmutableField(obj.spec?.controller, old.spec?.controller, 'spec.controller'),
  columns: [
    col('Controller', 'Controller that is responsible for handling this class'),
    col('Parameters', 'A reference to a resource with additional parameters'),
    AGE,
  ],
  row(obj, now) {
    const p = (obj as IngressClass).spec?.parameters;
    const params = p ? `${p.kind}${p.apiGroup !== undefined ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
    return [obj.spec?.controller ?? '', params, age(obj, now)];
  },
};
