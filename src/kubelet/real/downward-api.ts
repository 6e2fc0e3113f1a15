// The downward API values the kubelet hands to containers (env and volume files): pod fields and container resources, as upstream fieldpath and resource helpers.
import type { Container, ObjectFieldSelector, Pod, ResourceFieldSelector } from 'kubernetes-types/core/v1';
import { tryParseQuantity } from '../../machinery/quantity';

// Go's %q for a string: printable text as is, escapes for quotes, backslashes and control characters.
function goQuote(s: string): string {
  const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (named[ch]) out += named[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** Labels or annotations as a downward API file shows them: sorted `key="value"` lines (upstream FormatMap). */
export function formatMap(m: Readonly<Record<string, string>> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${goQuote(m![k])}`)
    .join('\n');
}

/** Splits `metadata.labels['k']` into path and key (upstream SplitMaybeSubscriptedPath). */
function splitSubscript(fieldPath: string): { path: string; key: string } | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const i = fieldPath.indexOf("['");
  if (i <= 0) return undefined;
  return { path: fieldPath.slice(0, i), key: fieldPath.slice(i + 2, -2) };
}

/** A pod metadata field as a string (upstream ExtractFieldPathAsString): name, namespace, uid, labels, annotations, one label or annotation. */
export function extractFieldPathAsString(pod: Pod, fieldPath: string): string {
  const m = pod.metadata ?? {};
  const sub = splitSubscript(fieldPath);
  if (sub) {
    if (sub.path === 'metadata.annotations') return m.annotations?.[sub.key] ?? '';
    if (sub.path === 'metadata.labels') return m.labels?.[sub.key] ?? '';
    throw new Error(`fieldPath ${JSON.stringify(fieldPath)} does not support subscript`);
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(m.annotations);
    case 'metadata.labels':
      return formatMap(m.labels);
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** Where the pod runs, for the status.* and spec.* fields only the kubelet knows at container start. */
export interface PodRuntimeFields {
  podIPs: readonly string[];
  hostIPs: readonly string[];
}

/** An env fieldRef's value (upstream podFieldSelectorRuntimeValue): node name, service account, host and pod IPs, or a metadata field. */
export function podFieldSelectorValue(fs: ObjectFieldSelector, pod: Pod, rt: PodRuntimeFields): string {
  if (fs.apiVersion && fs.apiVersion !== 'v1') throw new Error(`unsupported pod version: ${fs.apiVersion}`);
  // spec.host is the old name of spec.nodeName (upstream ConvertDownwardAPIFieldLabel).
  const path = fs.fieldPath === 'spec.host' ? 'spec.nodeName' : fs.fieldPath;
  switch (path) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return rt.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return rt.hostIPs.join(',');
    case 'status.podIP':
      return rt.podIPs[0] ?? '';
    case 'status.podIPs':
      return rt.podIPs.join(',');
  }
  return extractFieldPathAsString(pod, path);
}

const DEFAULTED_LIMITS = ['cpu', 'memory', 'ephemeral-storage'];

/** The container with unset cpu/memory/ephemeral-storage limits filled from node allocatable (upstream MergeContainerResourceLimits). */
export function withDefaultLimits(container: Container, nodeAllocatable: Readonly<Record<string, string>>): Container {
  const limits: Record<string, string> = { ...(container.resources?.limits ?? {}) };
  for (const r of DEFAULTED_LIMITS) {
    const q = limits[r] === undefined ? undefined : tryParseQuantity(limits[r]);
    if ((!q || q.sign() === 0) && nodeAllocatable[r] !== undefined) limits[r] = nodeAllocatable[r];
  }
  return { ...container, resources: { ...container.resources, limits } };
}

/** A container in the pod by name (regular, then init), as upstream findContainerInPod. */
function findContainer(pod: Pod, name: string): Container {
  const c = (pod.spec?.containers ?? []).find((x) => x.name === name) ?? (pod.spec?.initContainers ?? []).find((x) => x.name === name);
  if (!c) throw new Error(`container ${name} not found`);
  return c;
}

/**
 * A resourceFieldRef's value (upstream ExtractContainerResourceValue after defaulting limits to node allocatable):
 * cpu rounds up in units of the divisor's millicores, memory and ephemeral-storage in units of the divisor's bytes.
 */
export function resourceFieldValue(fs: ResourceFieldSelector, pod: Pod, container: Container | undefined, nodeAllocatable: Readonly<Record<string, string>>): string {
  const target = withDefaultLimits(fs.containerName ? findContainer(pod, fs.containerName) : container!, nodeAllocatable);
  const divisorQ = fs.divisor === undefined ? undefined : tryParseQuantity(fs.divisor);
  const divisor = divisorQ && divisorQ.sign() !== 0 ? divisorQ : tryParseQuantity('1')!;
  const [kind, name] = fs.resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !name || !DEFAULTED_LIMITS.includes(name)) throw new Error(`unsupported container resource : ${fs.resource}`);
  const list = (kind === 'limits' ? target.resources?.limits : target.resources?.requests) ?? {};
  const q = tryParseQuantity(list[name] ?? '0') ?? tryParseQuantity('0')!;
  if (name === 'cpu') return String(Math.ceil(Number(q.milliValue()) / Number(divisor.milliValue())));
  return String(Math.ceil(Number(q.value()) / Number(divisor.value())));
}
