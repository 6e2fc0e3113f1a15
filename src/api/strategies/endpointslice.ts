// EndpointSlice strategy: port defaults, address-type, endpoint and port validation as upstream discovery/v1, ADDRESSTYPE/PORTS/ENDPOINTS table.
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { isIP } from 'node:net';
import { field, type FieldError } from '../../machinery/errors';
import {
  invalidEach,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  nameIsDNSSubdomain,
  validateImmutableField,
  validateLabels,
  validateObjectMetaFormat,
} from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { validateNonSpecialIP } from './ip';
import { validateDNS1123Label } from './pod-validation';
import { AGE, age, col, listWithMore } from './table-helpers';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

function validateAddress(type: string, addr: string, path: string): FieldError[] {
  switch (type) {
    case 'IPv4':
      if (isIP(addr) !== 4) return [field.invalid(path, addr, 'must be a valid IPv4 address')];
      return validateNonSpecialIP(addr, path);
    case 'IPv6':
      if (isIP(addr) !== 6) return [field.invalid(path, addr, 'must be a valid IPv6 address')];
      return validateNonSpecialIP(addr, path);
    case 'FQDN': {
      const name = addr.replace(/\.$/, '');
      if (!name) return [field.required(path)];
      const errs = isDNS1123Subdomain(name);
      if (errs.length) return [field.invalid(path, name, errs.join(','))];
      if (name.split('.').length < 2) return [field.invalid(path, name, 'should be a domain with at least two segments separated by dots')];
      for (const label of name.split('.')) {
        const le = isDNS1123Label(label);
        if (le.length) return [field.invalid(path, label, le.join(','))];
      }
      return [];
    }
  }
  return [];
}

/** upstream ValidateEndpointSlice (beyond metadata). */
export function validateEndpointSliceFields(es: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  if (!es.addressType) errs.push(field.required('addressType'));
  else if (!ADDRESS_TYPES.includes(es.addressType)) errs.push(field.notSupported('addressType', es.addressType, ADDRESS_TYPES));
  const endpoints = es.endpoints ?? [];
  if (endpoints.length > 1000) errs.push(field.tooMany('endpoints', endpoints.length, 1000));
  else
    endpoints.forEach((e, i) => {
      const p = `endpoints[${i}]`;
      if (!e.addresses?.length) errs.push(field.required(`${p}.addresses`, 'must contain at least 1 address'));
      else if (e.addresses.length > 100) errs.push(field.tooMany(`${p}.addresses`, e.addresses.length, 100));
      (e.addresses ?? []).forEach((a, j) => errs.push(...validateAddress(es.addressType, a, `${p}.addresses[${j}]`)));
      if (e.nodeName !== undefined) errs.push(...invalidEach(`${p}.nodeName`, e.nodeName, isDNS1123Subdomain(e.nodeName)));
      errs.push(...validateLabels(e.deprecatedTopology, `${p}.deprecatedTopology`));
      if (e.hostname !== undefined) errs.push(...validateDNS1123Label(e.hostname, `${p}.hostname`));
    });
  const ports = es.ports ?? [];
  if (ports.length > 20000) errs.push(field.tooMany('ports', ports.length, 20000));
  else {
    const names = new Set<string>();
    ports.forEach((port, i) => {
      const p = `ports[${i}]`;
      const name = port.name ?? '';
      if (name) errs.push(...validateDNS1123Label(name, `${p}.name`));
      if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
      names.add(name);
      if (!port.protocol) errs.push(field.required(`${p}.protocol`));
      else if (!['SCTP', 'TCP', 'UDP'].includes(port.protocol)) errs.push(field.notSupported(`${p}.protocol`, port.protocol, ['SCTP', 'TCP', 'UDP']));
      if (port.appProtocol !== undefined) errs.push(...invalidEach(`${p}.appProtocol`, port.appProtocol, isQualifiedName(port.appProtocol)));
    });
  }
  return errs;
}

/** The EndpointSlice strategy. */
export const endpointSliceStrategy: Strategy = {
  defaults(obj: KObject) {
    for (const p of (obj.ports ?? []) as NonNullable<EndpointSlice['ports']>) {
      p.name ??= '';
      p.protocol ??= 'TCP';
    }
  },
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateEndpointSliceFields(obj as EndpointSlice)],
  validateUpdate: (obj, old) => validateImmutableField(obj.addressType, old.addressType, 'addressType'),
  columns: [
    col('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
    AGE,
  ],
  row(obj, now) {
    const es = obj as EndpointSlice;
    const ports = (es.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : p.name !== undefined ? p.name : '*'));
    const addrs = (es.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [es.addressType ?? '', listWithMore(ports, 3, '<unset>'), listWithMore(addrs, 3, '<unset>'), age(obj, now)];
  },
};
