// Ingress strategy: rule, path, backend and TLS validation as upstream networking/v1, CLASS/HOSTS/ADDRESS/PORTS table.
import type { HTTPIngressPath, Ingress, IngressBackend } from 'kubernetes-types/networking/v1';
import { isIP } from 'node:net';
import { field, type FieldError } from '../../machinery/errors';
import {
  invalidEach,
  invalidRendered,
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
  nameIsDNS1035Label,
  nameIsDNSSubdomain,
  nameIsPathSegment,
  validateObjectMetaFormat,
} from '../../machinery/validation';
import type { Strategy } from '../types';
import { AGE, age, col, loadBalancerString } from './table-helpers';

type Spec = NonNullable<Ingress['spec']>;

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateHost(host: string, path: string): FieldError[] {
  return invalidEach(path, host, host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host));
}

/** upstream validateIngressBackend. */
export function validateIngressBackend(b: IngressBackend | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (b?.resource && b.service) return [field.invalid(path, '', 'cannot set both resource and service backends')];
  if (b?.resource) {
    const r = b.resource;
    if (r.apiGroup) errs.push(...invalidEach(`${path}.resource.apiGroup`, r.apiGroup, isDNS1123Subdomain(r.apiGroup)));
    if (!r.kind) errs.push(field.required(`${path}.resource.kind`, 'kind is required'));
    else errs.push(...invalidEach(`${path}.resource.kind`, r.kind, nameIsPathSegment(r.kind, false)));
    if (!r.name) errs.push(field.required(`${path}.resource.name`, 'name is required'));
    else errs.push(...invalidEach(`${path}.resource.name`, r.name, nameIsPathSegment(r.name, false)));
  } else if (b?.service) {
    const s = b.service;
    if (!s.name) errs.push(field.required(`${path}.service.name`));
    else errs.push(...invalidEach(`${path}.service.name`, s.name, nameIsDNS1035Label(s.name, false)));
    const name = s.port?.name ?? '';
    const num = s.port?.number ?? 0;
    if (name && num) errs.push(field.invalid(path, '', 'cannot set both port name & port number'));
    else if (name) errs.push(...invalidEach(`${path}.service.port.name`, name, isValidPortName(name)));
    else if (num) errs.push(...invalidEach(`${path}.service.port.number`, num, isValidPortNum(num)));
    else errs.push(field.required(path, 'port name or number is required'));
  } else errs.push(field.invalid(path, '', 'resource or service backend is required'));
  return errs;
}

function validateHTTPPath(p: HTTPIngressPath, path: string): FieldError[] {
  if (!p.pathType) return [field.required(`${path}.pathType`, 'pathType must be specified')];
  const errs: FieldError[] = [];
  const v = p.path ?? '';
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!v.startsWith('/')) errs.push(field.invalid(`${path}.path`, v, 'must be an absolute path'));
      if (v) {
        for (const seq of ['//', '/./', '/../', '%2f', '%2F']) if (v.includes(seq)) errs.push(field.invalid(`${path}.path`, v, `must not contain '${seq}'`));
        for (const suf of ['/..', '/.']) if (v.endsWith(suf)) errs.push(field.invalid(`${path}.path`, v, `cannot end with '${suf}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (v && !v.startsWith('/')) errs.push(field.invalid(`${path}.path`, v, 'must be an absolute path'));
      break;
    default:
      errs.push(field.notSupported(`${path}.pathType`, p.pathType, PATH_TYPES));
  }
  errs.push(...validateIngressBackend(p.backend, `${path}.backend`));
  return errs;
}

/** upstream ValidateIngressSpec. */
export function validateIngressSpec(spec: Spec | undefined): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  if (!s.rules?.length && !s.defaultBackend) errs.push(invalidRendered('spec', '[]networking.IngressRule(nil)', 'either `defaultBackend` or `rules` must be specified'));
  if (s.defaultBackend) errs.push(...validateIngressBackend(s.defaultBackend, 'spec.defaultBackend'));
  (s.rules ?? []).forEach((r, i) => {
    const p = `spec.rules[${i}]`;
    if (r.host) {
      if (isIP(r.host)) errs.push(field.invalid(`${p}.host`, r.host, 'must be a DNS name, not an IP address'));
      errs.push(...validateHost(r.host, `${p}.host`));
    }
    if (r.http) {
      if (!r.http.paths?.length) errs.push(field.required(`${p}.http.paths`));
      (r.http.paths ?? []).forEach((hp, j) => errs.push(...validateHTTPPath(hp, `${p}.http.paths[${j}]`)));
    }
  });
  (s.tls ?? []).forEach((t, i) => (t.hosts ?? []).forEach((h, j) => errs.push(...validateHost(h, `spec.tls[${i}].hosts[${j}]`))));
  if (s.ingressClassName) errs.push(...invalidEach('spec.ingressClassName', s.ingressClassName, nameIsDNSSubdomain(s.ingressClassName, false)));
  return errs;
}

/** HOSTS: up to three hosts, "*" when none (upstream formatHosts). */
export function formatHosts(rules: Spec['rules']): string {
  const list = rules ?? [];
  const hosts: string[] = [];
  for (const r of list.slice(0, 3)) if (r.host) hosts.push(r.host);
  if (!hosts.length) return '*';
  return list.length > 3 ? `${hosts.join(',')} + ${list.length - 3} more...` : hosts.join(',');
}

/** The Ingress strategy. */
export const ingressStrategy: Strategy = {
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  validate(obj) {
    const errs = [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateIngressSpec(obj.spec)];
    const annotated = obj.metadata.annotations?.['kubernetes.io/ingress.class'];
    if (annotated !== undefined && obj.spec?.ingressClassName !== undefined && annotated !== obj.spec.ingressClassName)
      errs.push(field.invalid('annotations.kubernetes.io/ingress.class', annotated, 'must match `ingressClassName` when both are specified'));
    return errs;
  },
  columns: [
    col('Class', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'Ports of TLS configurations that open'),
    AGE,
  ],
  row(obj, now) {
    const ing = obj as Ingress;
    return [
      ing.spec?.ingressClassName ?? '<none>',
      formatHosts(ing.spec?.rules),
      loadBalancerString(ing.status?.loadBalancer?.ingress, true),
      ing.spec?.tls?.length ? '80, 443' : '80',
      age(obj, now),
    ];
  },
};
