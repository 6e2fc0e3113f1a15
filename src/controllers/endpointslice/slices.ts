// The EndpointSlices of a service, pure: endpoints grouped by port set, at most 100 per slice, reconciled with what exists.
import type { ServicePort } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KObject } from '../../api/types';
import { semanticEqual } from '../../machinery/validation';
import { findPort, HEADLESS_LABEL, isHeadless, podIPForService, shouldPodBeInEndpoints, shouldSetHostname } from '../endpoints/pod-endpoints';
import { isPodReady } from '../shared/pod-util';
import type { Pod } from '../shared/types';

/** The label naming who manages a slice, and this controller's value of it. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** The label tying a slice to its service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** upstream default --max-endpoints-per-slice. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** The well-known zone label of nodes. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** discovery/v1 EndpointPort. */
export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** discovery/v1 Endpoint. */
export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
  nodeName?: string;
  zone?: string;
}

/** Looks up a node's zone: undefined when the node is unknown, "" when it has no zone label. */
export type NodeZone = (nodeName: string) => string | undefined;

/** upstream getEndpointPorts: the pod's port for each service port it has (named ports resolve per pod). */
export function endpointPorts(svc: KObject, pod: Pod): SlicePort[] {
  const out: SlicePort[] = [];
  for (const sp of (svc.spec?.ports ?? []) as ServicePort[]) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** upstream podToEndpoint: serving when ready; ready only when also not terminating (or publishNotReadyAddresses). */
export function podToEndpoint(svc: KObject, pod: Pod, ip: string, zone: string): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ep: SliceEndpoint = {
    addresses: [ip],
    conditions: { ready: !!svc.spec?.publishNotReadyAddresses || (serving && !terminating), serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  if (zone) ep.zone = zone;
  return ep;
}

const portsKey = (ports: SlicePort[]) =>
  ports
    .map((p) => `${p.name}/${p.port}/${p.protocol}/${p.appProtocol ?? ''}`)
    .sort()
    .join(',');

/** Desired endpoints grouped by port set; pods on nodes not known yet are left out and reported. */
export function desiredGroups(svc: KObject, pods: Pod[], nodeZone: NodeZone): { groups: Map<string, { ports: SlicePort[]; endpoints: SliceEndpoint[] }>; missingNodes: string[] } {
  const groups = new Map<string, { ports: SlicePort[]; endpoints: SliceEndpoint[] }>();
  const missingNodes: string[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ip = podIPForService(pod, svc);
    if (!ip) continue;
    let zone = '';
    if (pod.spec.nodeName) {
      const z = nodeZone(pod.spec.nodeName);
      if (z === undefined) {
        missingNodes.push(pod.spec.nodeName);
        continue;
      }
      zone = z;
    }
    const ports = endpointPorts(svc, pod);
    const key = portsKey(ports);
    if (!groups.has(key)) groups.set(key, { ports: [...ports].sort((a, b) => (portsKey([a]) < portsKey([b]) ? -1 : 1)), endpoints: [] });
    groups.get(key)!.endpoints.push(podToEndpoint(svc, pod, ip, zone));
  }
  for (const g of groups.values()) g.endpoints.sort((a, b) => (a.addresses[0] < b.addresses[0] ? -1 : a.addresses[0] > b.addresses[0] ? 1 : a.targetRef.name < b.targetRef.name ? -1 : 1));
  return { groups, missingNodes };
}

/** upstream setEndpointSliceLabels: the service's labels (minus reserved ones), the service name, manager and headless marker. */
export function sliceLabels(svc: KObject): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries((svc.metadata.labels ?? {}) as Record<string, string>)) {
    if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL && k !== HEADLESS_LABEL) labels[k] = v;
  }
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name!;
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return labels;
}

/** True when this controller manages the slice for some service. */
export const isManagedSlice = (slice: KObject) => slice.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME && !!slice.metadata.labels?.[SERVICE_NAME_LABEL];

const ownedBy = (slice: KObject, svc: KObject) => (slice.metadata.ownerReferences ?? []).some((r: OwnerReference) => r.uid === svc.metadata.uid && r.kind === 'Service');

/** What to write to make the existing slices of a service match its pods. */
export interface SlicePlan {
  create: KObject[];
  update: KObject[];
  delete: KObject[];
}

function newSlice(svc: KObject, addressType: string, ports: SlicePort[], endpoints: SliceEndpoint[]): KObject {
  const owner: OwnerReference = { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    // upstream caps the prefix so that generated names stay valid.
    metadata: { generateName: `${svc.metadata.name!.slice(0, 57)}-`, namespace: svc.metadata.namespace, labels: sliceLabels(svc), ownerReferences: [owner] },
    addressType,
    endpoints,
    ports,
  };
}

/** Reconciles: one slice per chunk of 100 endpoints of each port set (an empty placeholder when there are none). */
export function planSlices(svc: KObject, pods: Pod[], existing: KObject[], nodeZone: NodeZone): SlicePlan & { missingNodes: string[] } {
  const wantV6 = svc.spec?.ipFamilies?.[0] === 'IPv6';
  const addressType = wantV6 ? 'IPv6' : 'IPv4';
  const { groups, missingNodes } = desiredGroups(svc, pods, nodeZone);
  if (!groups.size) groups.set('', { ports: [], endpoints: [] });
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const byKey = new Map<string, KObject[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc) || s.addressType !== addressType) {
      plan.delete.push(s);
      continue;
    }
    const k = portsKey((s.ports ?? []) as SlicePort[]);
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k)!.push(s);
  }
  const labels = sliceLabels(svc);
  for (const [key, g] of groups) {
    const have = (byKey.get(key) ?? []).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    byKey.delete(key);
    const chunks: SliceEndpoint[][] = [];
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) chunks.push(g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE));
    if (!chunks.length) chunks.push([]);
    chunks.forEach((eps, i) => {
      const cur = have[i];
      if (!cur) return plan.create.push(newSlice(svc, addressType, g.ports, eps));
      if (semanticEqual(cur.endpoints, eps) && semanticEqual(cur.ports, g.ports) && semanticEqual(cur.metadata.labels, labels)) return;
      const next = structuredClone(cur);
      next.endpoints = eps;
      next.ports = g.ports;
      next.metadata.labels = labels;
      plan.update.push(next);
    });
    plan.delete.push(...have.slice(chunks.length));
  }
  for (const rest of byKey.values()) plan.delete.push(...rest);
  // An empty placeholder becomes the first new slice instead of being replaced, as upstream reuses it.
  const placeholder = plan.delete.findIndex((s) => ownedBy(s, svc) && s.addressType === addressType && !(s.endpoints ?? []).length && !(s.ports ?? []).length);
  if (placeholder >= 0 && plan.create.length) {
    const [reused] = plan.delete.splice(placeholder, 1);
    const first = plan.create.shift()!;
    plan.update.push({ ...structuredClone(reused), endpoints: first.endpoints, ports: first.ports, metadata: { ...structuredClone(reused.metadata), labels: first.metadata.labels } });
  }
  return { ...plan, missingNodes };
}
