// The Endpoints of a service, pure: ready and not-ready addresses per port set, packed as upstream's RepackSubsets.
import type { EndpointAddress, EndpointPort, EndpointSubset, ServicePort } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import { semanticEqual } from '../../machinery/validation';
import type { Pod } from '../shared/types';
import { isPodReady } from '../shared/pod-util';
import { findPort, HEADLESS_LABEL, isHeadless, podIPForService, shouldPodBeInEndpoints, shouldSetHostname } from './pod-endpoints';

/** upstream maxCapacity: an Endpoints object holds at most this many addresses. */
export const MAX_ENDPOINTS = 1000;
/** The annotation set when addresses were cut to MAX_ENDPOINTS. */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

type Entry = { addr: EndpointAddress; ready: boolean; port?: EndpointPort };

function address(svc: KObject, pod: Pod, ip: string): EndpointAddress {
  const a: { ip: string; hostname?: string; nodeName?: string; targetRef: object } = {
    ip,
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (shouldSetHostname(pod, svc)) a.hostname = pod.spec.hostname;
  if (pod.spec.nodeName) a.nodeName = pod.spec.nodeName;
  return a as EndpointAddress;
}

const addrKey = (a: EndpointAddress) => `${a.ip}/${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort) => `${p.name ?? ''}/${p.port}/${p.protocol ?? ''}/${p.appProtocol ?? ''}`;
const compareAddr = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : addrKey(a) < addrKey(b) ? -1 : addrKey(a) > addrKey(b) ? 1 : 0);

/** Groups addresses by the exact set of ports they serve, sorted for stable comparison (upstream RepackSubsets). */
export function repack(entries: Entry[]): EndpointSubset[] {
  const addrs = new Map<string, Entry>();
  const portsOf = new Map<string, Map<string, EndpointPort>>();
  for (const e of entries) {
    const k = addrKey(e.addr);
    addrs.set(k, e);
    if (!portsOf.has(k)) portsOf.set(k, new Map());
    if (e.port) portsOf.get(k)!.set(portKey(e.port), e.port);
  }
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const [k, ports] of portsOf) {
    const sorted = [...ports.values()].sort((a, b) => (portKey(a) < portKey(b) ? -1 : 1));
    const gk = sorted.map(portKey).join(',');
    if (!groups.has(gk)) groups.set(gk, { ports: sorted, ready: [], notReady: [] });
    const e = addrs.get(k)!;
    (e.ready ? groups.get(gk)!.ready : groups.get(gk)!.notReady).push(e.addr);
  }
  return [...groups.keys()].sort().map((gk) => {
    const g = groups.get(gk)!;
    const s: { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: EndpointPort[] } = {};
    if (g.ready.length) s.addresses = g.ready.sort(compareAddr);
    if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(compareAddr);
    if (g.ports.length) s.ports = g.ports;
    return s as EndpointSubset;
  });
}

/** The subsets of a service with a selector, from the pods it selects (upstream syncService's loop). */
export function computeSubsets(svc: KObject, pods: Pod[]): EndpointSubset[] {
  const tolerateUnready = !!svc.spec?.publishNotReadyAddresses;
  const ports = (svc.spec?.ports ?? []) as ServicePort[];
  const entries: Entry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const ip = podIPForService(pod, svc);
    if (!ip) continue;
    const addr = address(svc, pod, ip);
    const ready = tolerateUnready || isPodReady(pod);
    if (!ports.length) {
      // A headless service may have no ports: its addresses stand alone.
      if (isHeadless(svc)) entries.push({ addr, ready });
      continue;
    }
    for (const sp of ports) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: { name?: string; port: number; protocol: string; appProtocol?: string } = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      entries.push({ addr, ready, port: ep as EndpointPort });
    }
  }
  return repack(entries);
}

/** upstream truncateEndpoints: keeps MAX_ENDPOINTS addresses, ready ones first, spread over subsets by their share. */
export function truncate(subsets: EndpointSubset[]): { subsets: EndpointSubset[]; truncated: boolean } {
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (ready + notReady <= MAX_ENDPOINTS) return { subsets, truncated: false };
  const cutReady = ready > MAX_ENDPOINTS;
  const max = cutReady ? MAX_ENDPOINTS : MAX_ENDPOINTS - ready;
  const total = cutReady ? ready : notReady;
  let room = max;
  const out = subsets.map((s) => {
    const n = (cutReady ? s.addresses : s.notReadyAddresses)?.length ?? 0;
    const take = Math.min(Math.ceil((n / total) * max), room);
    if (cutReady) {
      room -= Math.min(take, n);
      return { ...s, addresses: s.addresses?.slice(0, take), notReadyAddresses: [] };
    }
    room -= Math.min(take, n);
    return { ...s, notReadyAddresses: s.notReadyAddresses?.slice(0, take) };
  });
  return { subsets: out, truncated: true };
}

/** The labels upstream gives Endpoints: the service's, plus the headless marker. */
export function endpointsLabels(svc: KObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

/** The Endpoints to write for a service, or undefined when `current` already says the same. */
export function desiredEndpoints(svc: KObject, pods: Pod[], current: KObject | undefined): KObject | undefined {
  const { subsets, truncated } = truncate(computeSubsets(svc, pods));
  const labels = endpointsLabels(svc);
  const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
  if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  else delete annotations[OVER_CAPACITY_ANNOTATION];
  if (
    current &&
    semanticEqual(current.subsets, subsets) &&
    semanticEqual(current.metadata.labels, labels) &&
    semanticEqual(current.metadata.annotations, annotations)
  ) {
    return undefined;
  }
  const base = current ? structuredClone(current) : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace } };
  base.metadata.labels = labels;
  if (Object.keys(annotations).length) base.metadata.annotations = annotations;
  else delete base.metadata.annotations;
  base.subsets = subsets;
  return base;
}
