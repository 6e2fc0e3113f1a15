// What makes a Node simulated: its annotations (capacity, heartbeats) and the Node object `tugboat node add` creates.
import type { Taint } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import { tryParseQuantity } from '../../machinery/quantity';

/** Marks a Node as run by a simulated kubelet. */
export const SIMULATED_ANNOTATION = 'tugboat.dev/simulated';
/** "stopped" pauses the node's Lease renewals and status updates, as if its kubelet had died. */
export const HEARTBEATS_ANNOTATION = 'tugboat.dev/heartbeats';
/** The node's capacity (= allocatable) as "cpu=8,memory=32Gi,pods=110,nvidia.com/gpu=2". */
export const CAPACITY_ANNOTATION = 'tugboat.dev/sim-capacity';
/** On a pod: how long its containers run before exiting (default: forever, or a short run for Never/OnFailure pods). */
export const RUN_SECONDS_ANNOTATION = 'tugboat.dev/sim-run-seconds';
/** On a pod: the exit code its containers exit with (default 0). */
export const EXIT_CODE_ANNOTATION = 'tugboat.dev/sim-exit-code';

/** Capacity of a sim node unless its annotation says otherwise. */
export const DEFAULT_SIM_CAPACITY: Record<string, string> = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };

/** Whether a Node is simulated. */
export function isSimNode(node: KObject | undefined): boolean {
  return node?.metadata.annotations?.[SIMULATED_ANNOTATION] === 'true';
}

/** Whether a sim node's heartbeats are stopped. */
export function heartbeatsStopped(node: KObject): boolean {
  return node.metadata.annotations?.[HEARTBEATS_ANNOTATION] === 'stopped';
}

/** Parses "k=v,k2=v2" into a map; `what` names the flag in errors. */
export function parseKeyValues(text: string, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`${what}: "${part}" is not key=value`);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** Parses a capacity list, refusing values that are not quantities. */
export function parseCapacity(text: string): Record<string, string> {
  const out = parseKeyValues(text, 'capacity');
  for (const [k, v] of Object.entries(out)) if (!tryParseQuantity(v)) throw new Error(`capacity: ${k}=${v} is not a quantity`);
  return out;
}

/** Renders a capacity map as the annotation's text. */
export function formatCapacity(capacity: Record<string, string>): string {
  return Object.entries(capacity)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The capacity of a sim node: the defaults overridden by its annotation (an unreadable annotation counts as absent). */
export function simCapacity(node: KObject): Record<string, string> {
  const text = node.metadata.annotations?.[CAPACITY_ANNOTATION];
  if (!text) return { ...DEFAULT_SIM_CAPACITY };
  try {
    return { ...DEFAULT_SIM_CAPACITY, ...parseCapacity(text) };
  } catch {
    return { ...DEFAULT_SIM_CAPACITY };
  }
}

/** Parses "key=value:Effect" (or "key:Effect") taints. */
export function parseTaints(text: string): Taint[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const colon = t.lastIndexOf(':');
      if (colon <= 0) throw new Error(`taint "${t}" must be key[=value]:Effect`);
      const effect = t.slice(colon + 1);
      if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) throw new Error(`taint "${t}": effect must be NoSchedule, PreferNoSchedule or NoExecute`);
      const kv = t.slice(0, colon);
      const eq = kv.indexOf('=');
      return eq < 0 ? { key: kv, effect } : { key: kv.slice(0, eq), value: kv.slice(eq + 1), effect };
    });
}

/** Options of a new sim node. */
export interface SimNodeSpec {
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
}

/** The Node object that declares a sim node; its kubelet fills in status, podCIDR and the standard labels. */
export function simNodeObject(name: string, spec: SimNodeSpec = {}): KObject {
  const annotations: Record<string, string> = { [SIMULATED_ANNOTATION]: 'true' };
  if (spec.capacity && Object.keys(spec.capacity).length) annotations[CAPACITY_ANNOTATION] = formatCapacity(spec.capacity);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, annotations, ...(spec.labels && Object.keys(spec.labels).length ? { labels: { ...spec.labels } } : {}) },
    spec: spec.taints?.length ? { taints: spec.taints } : {},
  };
}
