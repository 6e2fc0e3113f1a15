// What a pod contributes to a service's endpoints: whether it is in, its address and its port for each service port.
import type { Container, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { Pod } from '../shared/types';

/** upstream ShouldPodBeInEndpoints: not finished, has an IP, and (unless terminating pods are included) not being deleted. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && !pod.status?.podIPs?.length) return false;
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

/** upstream FindPort: a numeric targetPort as is, a named one from the pod's container (or sidecar) ports; undefined if absent. */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...pod.spec.containers, ...sidecars] as Container[]) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

const isIPv6 = (ip: string) => ip.includes(':');

/** The pod's IP of the service's (first) IP family. */
export function podIPForService(pod: Pod, svc: KObject): string | undefined {
  const spec = svc.spec as ServiceSpec;
  const wantV6 = spec.ipFamilies?.[0] === 'IPv6' || (!!spec.clusterIP && spec.clusterIP !== 'None' && isIPv6(spec.clusterIP));
  const ips = pod.status?.podIPs?.length ? pod.status.podIPs.map((p) => p.ip!) : pod.status?.podIP ? [pod.status.podIP] : [];
  return ips.find((ip) => isIPv6(ip) === wantV6);
}

/** upstream ShouldSetHostname: the pod names a hostname and this service as its subdomain. */
export function shouldSetHostname(pod: Pod, svc: KObject): boolean {
  return !!pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

/** The selector of a service that gets endpoints from its pods: undefined for selector-less and ExternalName services. */
export function endpointsSelector(svc: KObject): Record<string, string> | undefined {
  const spec = svc.spec as ServiceSpec | undefined;
  if (!spec?.selector || spec.type === 'ExternalName') return undefined;
  return spec.selector;
}

/** True when every key of the selector has the same value in the labels (a service selector is a plain map). */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

/** The headless-service label upstream puts on Endpoints and EndpointSlices. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/** Whether a service has no cluster IP. */
export const isHeadless = (svc: KObject) => !svc.spec?.clusterIP || svc.spec.clusterIP === 'None';
