// Which services a pod change concerns, and whether it changes anything endpoints show (shared with the EndpointSlice controller).
import type { KObject } from '../../api/types';
import { keyOf } from '../../client/informer';
import { isPodReady } from '../shared/pod-util';
import type { Pod } from '../shared/types';
import { endpointsSelector, selectorMatches } from './pod-endpoints';

/** Keys of the services (of the pods' namespace) selecting any of the pods. */
export function servicesForPod(services: KObject[], pods: Pod[]): string[] {
  const out: string[] = [];
  for (const svc of services) {
    const sel = endpointsSelector(svc);
    if (sel && pods.some((p) => selectorMatches(sel, p.metadata.labels))) out.push(keyOf(svc));
  }
  return out;
}

const view = (p: Pod) =>
  JSON.stringify([
    p.metadata.labels,
    p.metadata.deletionTimestamp,
    p.status?.podIP,
    p.status?.podIPs,
    p.status?.phase,
    isPodReady(p),
    p.spec.nodeName,
    p.spec.hostname,
    p.spec.subdomain,
    p.spec.containers.map((c) => c.ports),
  ]);

/** upstream podEndpointsChanged: only changes that can alter endpoints are worth a sync. */
export function podEndpointsChanged(oldPod: Pod, newPod: Pod): boolean {
  return view(oldPod) !== view(newPod);
}
