// Node selectors and node affinity terms (upstream component-helpers nodeaffinity), compiled once per pod.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from 'kubernetes-types/core/v1';
import { matchesLabels, Requirement } from '../../machinery/labels';

/** A compiled NodeSelectorTerm; an invalid or empty term matches nothing. */
export interface CompiledNodeSelectorTerm {
  labels: Requirement[];
  /** Requirements on metadata.name (the only field upstream supports). */
  names: Requirement[];
  valid: boolean;
}

/** A pod's required node constraints: spec.nodeSelector and required node affinity (either may be absent). */
export interface RequiredNodeAffinity {
  nodeSelector?: [string, string][];
  terms?: CompiledNodeSelectorTerm[];
}

function validRequirement(r: NodeSelectorRequirement): boolean {
  const n = r.values?.length ?? 0;
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      return n > 0;
    case 'Exists':
    case 'DoesNotExist':
      return n === 0;
    case 'Gt':
    case 'Lt':
      return n === 1 && /^-?\d+$/.test(r.values![0]);
    default:
      return false;
  }
}

/** Compiles one term; matchFields other than metadata.name In/NotIn make it invalid, as upstream. */
export function compileNodeSelectorTerm(t: NodeSelectorTerm): CompiledNodeSelectorTerm {
  const exprs = t.matchExpressions ?? [];
  const fields = t.matchFields ?? [];
  let valid = exprs.length + fields.length > 0;
  for (const r of exprs) if (!validRequirement(r)) valid = false;
  for (const f of fields) if (f.key !== 'metadata.name' || (f.operator !== 'In' && f.operator !== 'NotIn') || f.values?.length !== 1) valid = false;
  return {
    labels: exprs.map((r) => ({ key: r.key, op: r.operator as Requirement['op'], values: r.values ?? [] })),
    names: fields.map((f) => ({ key: 'metadata.name', op: f.operator as Requirement['op'], values: f.values ?? [] })),
    valid,
  };
}

/** True when the node satisfies the term. */
export function nodeSelectorTermMatches(t: CompiledNodeSelectorTerm, node: Node): boolean {
  if (!t.valid) return false;
  if (t.labels.length && !matchesLabels(t.labels, node.metadata?.labels as Record<string, string> | undefined)) return false;
  return !t.names.length || matchesLabels(t.names, { 'metadata.name': node.metadata?.name ?? '' });
}

/** Compiles a pod's nodeSelector and required node affinity. */
export function requiredNodeAffinityOf(pod: Pod): RequiredNodeAffinity {
  const out: RequiredNodeAffinity = {};
  const sel = pod.spec?.nodeSelector;
  if (sel && Object.keys(sel).length) out.nodeSelector = Object.entries(sel);
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req) out.terms = (req.nodeSelectorTerms ?? []).map(compileNodeSelectorTerm);
  return out;
}

/** True when the pod has no required node constraints. */
export function isEmptyNodeAffinity(a: RequiredNodeAffinity): boolean {
  return !a.nodeSelector && !a.terms;
}

/** upstream RequiredNodeAffinity.Match: the nodeSelector's labels all equal, and any one term matches (no terms: none). */
export function matchRequiredNodeAffinity(a: RequiredNodeAffinity, node: Node): boolean {
  if (a.nodeSelector) {
    const labels = (node.metadata?.labels ?? {}) as Record<string, string>;
    for (const [k, v] of a.nodeSelector) if (labels[k] !== v) return false;
  }
  if (a.terms) {
    for (const t of a.terms) if (nodeSelectorTermMatches(t, node)) return true;
    return false;
  }
  return true;
}
