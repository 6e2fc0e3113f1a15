// NetworkPolicy strategy: policyTypes and port-protocol defaults, selector/port/peer/ipBlock validation, POD-SELECTOR table.
import type { IPBlock, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1';
import { field, type FieldError } from '../../machinery/errors';
import { invalidEach, invalidRendered, isValidPortName, isValidPortNum, nameIsDNSSubdomain, validateCIDR, validateLabelSelector, validateObjectMetaFormat } from '../../machinery/validation';
import type { Strategy } from '../types';
import { goQuote } from './go-format';
import { AGE, age, col, formatLabelSelector } from './table-helpers';

type Spec = NonNullable<NetworkPolicy['spec']>;

/** SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort. */
export function defaultNetworkPolicy(spec: Spec): void {
  if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) for (const p of rule.ports ?? []) p.protocol ||= 'TCP';
}

function validatePort(p: NetworkPolicyPort, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(field.notSupported(`${path}.protocol`, p.protocol, ['TCP', 'UDP', 'SCTP']));
  if (p.port === undefined) {
    if (p.endPort !== undefined) errs.push(field.invalid(`${path}.endPort`, p.endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof p.port === 'number') {
    errs.push(...invalidEach(`${path}.port`, p.port, isValidPortNum(p.port)));
    if (p.endPort !== undefined) {
      if (p.endPort < p.port) errs.push(field.invalid(`${path}.endPort`, p.port, 'must be greater than or equal to `port`'));
      errs.push(...invalidEach(`${path}.endPort`, p.endPort, isValidPortNum(p.endPort)));
    }
  } else {
    if (p.endPort !== undefined) errs.push(field.invalid(`${path}.endPort`, p.endPort, 'may not be specified when `port` is non-numeric'));
    errs.push(...invalidEach(`${path}.port`, p.port, isValidPortName(p.port)));
  }
  return errs;
}

// True when `inner` is a strictly longer prefix inside `outer` (both valid CIDRs of one family).
function strictSubset(outer: string, inner: string): boolean {
  const parse = (c: string) => {
    const [ip, len] = c.split('/');
    const v4 = !ip.includes(':');
    let n = 0n;
    if (v4) for (const o of ip.split('.')) n = (n << 8n) | BigInt(Number(o));
    else {
      const [head, tail] = ip.split('::');
      const hs = head ? head.split(':') : [];
      const ts = tail !== undefined && tail ? tail.split(':') : [];
      const groups = [...hs, ...Array(8 - hs.length - ts.length).fill('0'), ...ts];
      for (const g of groups) n = (n << 16n) | BigInt(parseInt(g || '0', 16));
    }
    return { n, len: Number(len), bits: v4 ? 32 : 128, v4 };
  };
  const o = parse(outer);
  const i = parse(inner);
  if (o.v4 !== i.v4 || o.len >= i.len) return false;
  const shift = BigInt(o.bits - o.len);
  return o.n >> shift === i.n >> shift;
}

function validateIPBlock(b: IPBlock, path: string): FieldError[] {
  if (!b.cidr) return [field.required(`${path}.cidr`)];
  const errs = validateCIDR(`${path}.cidr`, b.cidr);
  if (errs.length) return errs;
  (b.except ?? []).forEach((e, i) => {
    const p = `${path}.except[${i}]`;
    const bad = validateCIDR(p, e);
    if (bad.length) errs.push(...bad);
    else if (!strictSubset(b.cidr, e)) errs.push(field.invalid(p, e, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

function validatePeer(peer: NetworkPolicyPeer, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer.podSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (peer.namespaceSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (peer.ipBlock) {
    n++;
    errs.push(...validateIPBlock(peer.ipBlock, `${path}.ipBlock`));
  }
  if (n === 0) errs.push(field.required(path, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock) errs.push(field.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** upstream ValidateNetworkPolicySpec. */
export function validateNetworkPolicySpec(spec: Spec | undefined): FieldError[] {
  const s = spec ?? ({} as Spec);
  const errs = validateLabelSelector(s.podSelector, 'spec.podSelector');
  (s.ingress ?? []).forEach((r, i) => {
    (r.ports ?? []).forEach((p, j) => errs.push(...validatePort(p, `spec.ingress[${i}].ports[${j}]`)));
    (r.from ?? []).forEach((p, j) => errs.push(...validatePeer(p, `spec.ingress[${i}].from[${j}]`)));
  });
  (s.egress ?? []).forEach((r, i) => {
    (r.ports ?? []).forEach((p, j) => errs.push(...validatePort(p, `spec.egress[${i}].ports[${j}]`)));
    (r.to ?? []).forEach((p, j) => errs.push(...validatePeer(p, `spec.egress[${i}].to[${j}]`)));
  });
  const types = s.policyTypes ?? [];
  if (types.length > 2) return [...errs, invalidRendered('spec.policyTypes', `[]networking.PolicyType{${types.map(goQuote).join(', ')}}`, 'may not specify more than two policyTypes')];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(field.notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  return errs;
}

/** The NetworkPolicy strategy. */
export const networkPolicyStrategy: Strategy = {
  defaults: (obj) => defaultNetworkPolicy((obj.spec ??= {}) as Spec),
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateNetworkPolicySpec(obj.spec)],
  columns: [col('Pod-Selector', 'Selects the pods to which this NetworkPolicy object applies.'), AGE],
  row: (obj, now) => [formatLabelSelector((obj as NetworkPolicy).spec?.podSelector), age(obj, now)],
};
