// Which nodes a DaemonSet runs on: node name, nodeSelector and required node affinity, taints against tolerations (with the daemon tolerations).
import type { DaemonSetSpec, DaemonSetStatus } from 'kubernetes-types/apps/v1';
import type { Affinity, Node as KNode, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Taint, Toleration } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { Pod } from '../shared/types';

/** A DaemonSet (updateStrategy and revisionHistoryLimit are set by defaulting). */
export interface DaemonSet extends KObject {
  spec: DaemonSetSpec;
  status?: DaemonSetStatus;
}

/** A core/v1 Node with metadata always present. */
export type Node = KNode & KObject;

/** The tolerations every daemon pod gets (upstream AddOrUpdateDaemonPodTolerations), so node problems do not evict it. */
export const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
/** Added too when the pod uses the host network. */
export const NETWORK_UNAVAILABLE_TOLERATION: Toleration = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' };

// upstream MatchToleration: same key, operator, value and effect.
const sameToleration = (a: Toleration, b: Toleration) =>
  (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');

/** upstream AddOrUpdateDaemonPodTolerations: the daemon tolerations replace equal ones or are appended (mutates spec). */
export function addDaemonTolerations(spec: PodSpec): void {
  const wanted = [...DAEMON_TOLERATIONS, ...(spec.hostNetwork ? [NETWORK_UNAVAILABLE_TOLERATION] : [])];
  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of wanted) {
    const i = tolerations.findIndex((x) => sameToleration(x, t));
    if (i >= 0) tolerations[i] = { ...t };
    else tolerations.push({ ...t });
  }
  spec.tolerations = tolerations;
}

/** upstream Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  // An empty key needs operator Exists (validation enforces it); Equal compares values.
  return !!t.key && (t.value ?? '') === (taint.value ?? '');
}

/** The first taint passing `filter` that no toleration tolerates. */
export function findUntoleratedTaint(taints: Taint[] | undefined, tolerations: Toleration[] | undefined, filter: (t: Taint) => boolean): Taint | undefined {
  return (taints ?? []).filter(filter).find((taint) => !(tolerations ?? []).some((t) => toleratesTaint(t, taint)));
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const has = value !== undefined;
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(value);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || !/^-?\d+$/.test(value) || (r.values ?? []).length !== 1 || !/^-?\d+$/.test(r.values![0])) return false;
      return r.operator === 'Gt' ? Number(value) > Number(r.values![0]) : Number(value) < Number(r.values![0]);
    }
    default:
      return false;
  }
}

/** A node selector term: every expression on labels and every field (metadata.name) holds; an empty term matches nothing. */
export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata.labels ?? {};
  if (!exprs.every((r) => requirementMatches(r, Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined))) return false;
  return fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, node.metadata.name));
}

/** upstream GetRequiredNodeAffinity(pod).Match(node): nodeSelector labels and any required affinity term. */
export function nodeAffinityMatches(spec: PodSpec, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

/** The spec of the pod the DaemonSet would put on a node: its template with the daemon tolerations. */
export function daemonPodSpec(ds: DaemonSet): PodSpec {
  const spec = structuredClone(ds.spec.template.spec ?? { containers: [] });
  addDaemonTolerations(spec);
  return spec;
}

/**
 * upstream NodeShouldRunDaemonPod: shouldRun — a new daemon pod belongs there; shouldContinueRunning — an existing
 * one may stay (only untolerated NoExecute taints, a different node name or unmatched affinity drive it away).
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet, spec = daemonPodSpec(ds)): { shouldRun: boolean; shouldContinueRunning: boolean } {
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!nodeAffinityMatches(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints;
  if (findUntoleratedTaint(taints, spec.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) {
    return { shouldRun: false, shouldContinueRunning: !findUntoleratedTaint(taints, spec.tolerations, (t) => t.effect === 'NoExecute') };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** upstream ReplaceDaemonSetPodNodeNameNodeAffinity: the required affinity becomes "metadata.name In [node]" alone. */
export function nodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const term: NodeSelectorTerm = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  return {
    ...affinity,
    nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } },
  };
}

/** upstream GetTargetNodeName: the node a daemon pod is bound to or pinned to by its metadata.name affinity. */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}
