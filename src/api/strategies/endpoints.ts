// Endpoints strategy: port protocol default, subset validation as upstream, ENDPOINTS table.
import type { Endpoints, EndpointSubset } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../../machinery/errors';
import { invalidEach, isDNS1123Subdomain, isQualifiedName, isValidPortNum, nameIsDNSSubdomain, validateIP, validateObjectMetaFormat } from '../../machinery/validation';
import type { Strategy } from '../types';
import { validateNonSpecialIP } from './ip';
import { validateDNS1123Label } from './pod-validation';
import { AGE, age, col } from './table-helpers';

function validateAddress(a: { ip: string; hostname?: string; nodeName?: string }, path: string): FieldError[] {
  const errs = validateIP(`${path}.ip`, a.ip ?? '');
  if (a.hostname) errs.push(...validateDNS1123Label(a.hostname, `${path}.hostname`));
  if (a.nodeName !== undefined) errs.push(...invalidEach(`${path}.nodeName`, a.nodeName, isDNS1123Subdomain(a.nodeName)));
  errs.push(...validateNonSpecialIP(a.ip ?? '', `${path}.ip`));
  return errs;
}

/** upstream validateEndpointSubsets. */
export function validateSubsets(subsets: EndpointSubset[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  (subsets ?? []).forEach((ss, i) => {
    const p = `subsets[${i}]`;
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length) errs.push(field.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    (ss.addresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, `${p}.addresses[${j}]`)));
    (ss.notReadyAddresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, `${p}.notReadyAddresses[${j}]`)));
    const ports = ss.ports ?? [];
    ports.forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      if (ports.length > 1 && !port.name) errs.push(field.required(`${pp}.name`));
      else if (port.name) errs.push(...validateDNS1123Label(port.name, `${pp}.name`));
      errs.push(...invalidEach(`${pp}.port`, port.port, isValidPortNum(port.port)));
      if (!port.protocol) errs.push(field.required(`${pp}.protocol`));
      else if (!['SCTP', 'TCP', 'UDP'].includes(port.protocol)) errs.push(field.notSupported(`${pp}.protocol`, port.protocol, ['SCTP', 'TCP', 'UDP']));
      if (port.appProtocol !== undefined) errs.push(...invalidEach(`${pp}.appProtocol`, port.appProtocol, isQualifiedName(port.appProtocol)));
    });
  });
  return errs;
}

/** The ENDPOINTS cell: up to three ip:port pairs and a "+ N more..." tail (upstream formatEndpoints). */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports?.length) {
      count += addrs.length;
      for (const a of addrs) if (list.length < 3) list.push(a.ip);
      continue;
    }
    for (const port of ss.ports) {
      count += addrs.length;
      for (const a of addrs) if (list.length < 3) list.push(a.ip.includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
    }
  }
  const ret = list.join(',');
  return count > 3 ? `${ret} + ${count - 3} more...` : ret;
}

/** The Endpoints strategy. */
export const endpointsStrategy: Strategy = {
  defaults(obj) {
    for (const ss of (obj.subsets ?? []) as EndpointSubset[]) for (const p of ss.ports ?? []) p.protocol ||= 'TCP';
  },
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateSubsets(obj.subsets)],
  columns: [col('Endpoints', 'The set of all endpoints is the union of all subsets.'), AGE],
  row: (obj, now) => [formatEndpoints(obj as Endpoints), age(obj, now)],
};
