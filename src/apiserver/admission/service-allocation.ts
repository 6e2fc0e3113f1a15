// Service ClusterIP and NodePort allocation: free values are found among the services that exist, duplicates refused.
import { randomInt } from 'node:crypto';
import type { KObject } from '../../api/types';
import { field, FieldError, invalid } from '../../machinery/errors';
import type { AdmissionPlugin } from './types';

/** The service IP range and node port range, as upstream's --service-cluster-ip-range/--service-node-port-range. */
export interface ServiceRanges {
  /** e.g. 10.96.0.0/12 */
  cidr: string;
  nodePortMin: number;
  nodePortMax: number;
}

export const DEFAULT_RANGES: ServiceRanges = { cidr: '10.96.0.0/12', nodePortMin: 30000, nodePortMax: 32767 };

const ipToInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const intToIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
const isIPv4 = (s: string) => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((o) => Number(o) <= 255);

/** First and last usable addresses of a CIDR (network and broadcast excluded). */
export function cidrBounds(cidr: string): { first: number; last: number } {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToInt(base) / size) * size;
  return { first: start + 1, last: start + size - 2 };
}

/** The IPs and node ports taken by existing services (excluding `except`, the service being updated). */
export function usedByServices(services: KObject[], except?: string): { ips: Set<string>; ports: Set<number> } {
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const s of services) {
    if (except && `${s.metadata.namespace}/${s.metadata.name}` === except) continue;
    for (const ip of s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])) if (ip !== 'None') ips.add(ip);
    for (const p of s.spec?.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
  }
  return { ips, ports };
}

function needsNodePorts(svc: KObject): boolean {
  return svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
}

/**
 * Fills and checks spec.clusterIP(s) and nodePorts of a service being created or updated.
 * `reserved` holds values handed out but not yet visible in `used` (concurrent creates). Returns field errors.
 */
export function allocateServiceAddresses(
  svc: KObject,
  old: KObject | undefined,
  used: { ips: Set<string>; ports: Set<number> },
  ranges: ServiceRanges,
  reserved: { ips: Set<string>; ports: Set<number> },
): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (svc.spec = svc.spec ?? {});
  if (spec.type === 'ExternalName') return errs;
  const taken = (ip: string) => used.ips.has(ip) || reserved.ips.has(ip);
  const { first, last } = cidrBounds(ranges.cidr);
  let ip: string | undefined = spec.clusterIP || spec.clusterIPs?.[0];
  if (!ip && old) ip = old.spec?.clusterIP;
  if (!ip) {
    const span = last - first + 1;
    for (let tries = 0; tries < 64 && !ip; tries++) {
      const candidate = intToIp(first + randomInt(span));
      if (!taken(candidate)) ip = candidate;
    }
    for (let n = first; !ip && n <= last; n++) if (!taken(intToIp(n))) ip = intToIp(n);
    if (!ip) errs.push(field.invalid('spec.clusterIPs', [], 'failed to allocate IP: range is full'));
  } else if (ip !== 'None' && ip !== old?.spec?.clusterIP) {
    const n = isIPv4(ip) ? ipToInt(ip) : NaN;
    if (!(n >= first && n <= last)) {
      errs.push(field.invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${ranges.cidr}`));
    } else if (taken(ip)) {
      errs.push(field.invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated`));
    }
  }
  if (ip) {
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }
  if (needsNodePorts(svc)) {
    const oldPorts = new Map<string, number>();
    for (const p of old?.spec?.ports ?? []) if (p.nodePort) oldPorts.set(`${p.port}/${p.protocol ?? 'TCP'}`, p.nodePort);
    const mine = new Set<number>();
    (spec.ports ?? []).forEach((p: { port: number; protocol?: string; nodePort?: number }, i: number) => {
      const path = `spec.ports[${i}].nodePort`;
      const kept = oldPorts.get(`${p.port}/${p.protocol ?? 'TCP'}`);
      if (!p.nodePort && kept) p.nodePort = kept;
      if (p.nodePort) {
        if (p.nodePort === kept || mine.has(p.nodePort)) {
          mine.add(p.nodePort);
          return;
        }
        if (p.nodePort < ranges.nodePortMin || p.nodePort > ranges.nodePortMax) {
          errs.push(field.invalid(path, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${ranges.nodePortMin}-${ranges.nodePortMax}`));
        } else if (used.ports.has(p.nodePort) || reserved.ports.has(p.nodePort)) {
          errs.push(field.invalid(path, p.nodePort, 'provided port is already allocated'));
        }
        mine.add(p.nodePort);
        return;
      }
      const span = ranges.nodePortMax - ranges.nodePortMin + 1;
      for (let tries = 0; tries < 4 * span; tries++) {
        const candidate = ranges.nodePortMin + randomInt(span);
        if (!used.ports.has(candidate) && !reserved.ports.has(candidate) && !mine.has(candidate)) {
          p.nodePort = candidate;
          mine.add(candidate);
          return;
        }
      }
      errs.push(field.invalid(path, 0, 'failed to allocate a nodePort: range is full'));
    });
  } else {
    for (const p of spec.ports ?? []) delete p.nodePort;
  }
  return errs;
}

/** The admission plugin wrapping allocation; `listServices` reads the current services from the watch cache. */
export function serviceAllocation(listServices: () => KObject[], ranges: ServiceRanges = DEFAULT_RANGES): AdmissionPlugin {
  // Values handed out to writes still in flight; dropped after a short while, once they are visible in the cache.
  const reserved = { ips: new Set<string>(), ports: new Set<number>() };
  return {
    name: 'ServiceAllocation',
    admit(a) {
      if (a.resource.group !== '' || a.resource.kind !== 'Service' || a.operation === 'DELETE' || a.subresource) return;
      const svc = a.object!;
      const used = usedByServices(listServices(), a.oldObject ? `${a.namespace}/${a.name}` : undefined);
      const errs = allocateServiceAddresses(svc, a.oldObject, used, ranges, reserved);
      if (errs.length) throw invalid('Service', '', a.name, errs);
      if (a.dryRun) return;
      const ip = svc.spec.clusterIP as string | undefined;
      const ports: number[] = (svc.spec.ports ?? []).map((p: { nodePort?: number }) => p.nodePort).filter(Boolean);
      if (ip && ip !== 'None') reserved.ips.add(ip);
      for (const p of ports) reserved.ports.add(p);
      setTimeout(() => {
        if (ip) reserved.ips.delete(ip);
        for (const p of ports) reserved.ports.delete(p);
      }, 5000).unref();
    },
  };
}
