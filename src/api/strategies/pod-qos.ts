// The pod QoS class (Guaranteed, Burstable, BestEffort) as upstream's qos.GetPodQOS computes it at creation.
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import { tryParseQuantity } from '../../machinery/quantity';

const COMPUTE = ['cpu', 'memory'];

/** Guaranteed when every container limits cpu and memory with requests equal to limits; BestEffort with no cpu/memory at all. */
export function podQOSClass(spec: PodSpec | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const containers: Container[] = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
  for (const c of containers) {
    for (const [k, v] of Object.entries(c.resources?.requests ?? {})) {
      const q = tryParseQuantity(v);
      if (COMPUTE.includes(k) && q && q.sign() !== 0) add(requests, k, q.nano);
    }
    const limited = new Set<string>();
    for (const [k, v] of Object.entries(c.resources?.limits ?? {})) {
      const q = tryParseQuantity(v);
      if (COMPUTE.includes(k) && q && q.sign() !== 0) {
        limited.add(k);
        add(limits, k, q.nano);
      }
    }
    if (limited.size !== COMPUTE.length) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, v] of requests) if (limits.get(k) !== v) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
