// Resource arithmetic: pod requests as upstream's resourcehelper.PodRequests computes them, and node allocatable.
import type { Container, Node, PodSpec } from 'kubernetes-types/core/v1';
import { toMilli, toUnits } from '../machinery/quantity';
import type { Resource } from './types';

/** cpu and memory assumed for a container without requests when scoring (upstream's DefaultMilliCPURequest/DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

type Amounts = Map<string, number>;

/** A zero Resource. */
export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0 };
}

// Parsed quantities by unit and text: the same few strings ("100m", "128Mi") recur across thousands of pods.
const parsed = new Map<string, number>();
const MAX_PARSED = 4096;

/** A quantity in the scheduler's unit for `name`: millicores for cpu, whole units (bytes, devices) otherwise. */
export function quantityValue(name: string, q: string | number): number {
  const milli = name === 'cpu';
  const key = (milli ? 'm:' : 'u:') + q;
  let v = parsed.get(key);
  if (v !== undefined) return v;
  try {
    v = milli ? toMilli(q) : toUnits(q);
  } catch {
    v = 0;
  }
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(key, v);
  return v;
}

function amounts(list: Record<string, string | number> | undefined): Amounts {
  const m: Amounts = new Map();
  for (const k in list ?? {}) m.set(k, quantityValue(k, list![k]));
  return m;
}

function addInto(into: Amounts, a: Amounts): void {
  for (const [k, v] of a) into.set(k, (into.get(k) ?? 0) + v);
}

function maxInto(into: Amounts, a: Amounts): void {
  for (const [k, v] of a) if (v > (into.get(k) ?? 0)) into.set(k, v);
}

function containerAmounts(c: Container, nonMissing: boolean): Amounts {
  const m = amounts(c.resources?.requests as Record<string, string> | undefined);
  if (nonMissing) {
    if (!m.has('cpu')) m.set('cpu', DEFAULT_MILLI_CPU_REQUEST);
    if (!m.has('memory')) m.set('memory', DEFAULT_MEMORY_REQUEST);
  }
  return m;
}

// upstream PodRequests: containers summed; init containers run one at a time, except restartable (sidecar) ones that
// keep running and so add up; the pod needs the larger of the two phases, plus its overhead.
function podAmounts(spec: PodSpec, nonMissing: boolean): Amounts {
  const reqs: Amounts = new Map();
  for (const c of spec.containers ?? []) addInto(reqs, containerAmounts(c, nonMissing));
  const sidecars: Amounts = new Map();
  const init: Amounts = new Map();
  for (const c of spec.initContainers ?? []) {
    let creq = containerAmounts(c, nonMissing);
    if (c.restartPolicy === 'Always') {
      addInto(reqs, creq);
      addInto(sidecars, creq);
      creq = sidecars;
    } else {
      const tmp = new Map(creq);
      addInto(tmp, sidecars);
      creq = tmp;
    }
    maxInto(init, creq);
  }
  maxInto(reqs, init);
  addInto(reqs, amounts(spec.overhead as Record<string, string> | undefined));
  return reqs;
}

/** Converts amounts by name into a Resource; `pods` and zero amounts of extended resources are left out. */
export function toResource(m: Amounts | Record<string, string | number> | undefined): Resource {
  const a = m instanceof Map ? m : amounts(m);
  const r = emptyResource();
  for (const [k, v] of a) {
    if (k === 'cpu') r.milliCPU = v;
    else if (k === 'memory') r.memory = v;
    else if (k === 'ephemeral-storage') r.ephemeralStorage = v;
    else if (k !== 'pods' && v !== 0) (r.scalar ??= {})[k] = v;
  }
  return r;
}

/** A pod's requests for fitting, and its cpu/memory with upstream's non-zero defaults for scoring. */
export function podRequests(spec: PodSpec | undefined): { requests: Resource; nonZeroCPU: number; nonZeroMemory: number } {
  const s = spec ?? ({ containers: [] } as PodSpec);
  const nz = podAmounts(s, true);
  return { requests: toResource(podAmounts(s, false)), nonZeroCPU: nz.get('cpu') ?? 0, nonZeroMemory: nz.get('memory') ?? 0 };
}

/** A node's allocatable resources and pod count (status.allocatable; nothing when absent, as upstream). */
export function nodeAllocatable(node: Node): { resource: Resource; pods: number } {
  const list = (node.status?.allocatable ?? {}) as Record<string, string>;
  return { resource: toResource(list), pods: list.pods !== undefined ? quantityValue('pods', list.pods) : 0 };
}
