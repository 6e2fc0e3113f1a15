// NodeAffinity: nodeSelector and required node affinity filter nodes; preferred terms add their weights to the score.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { CompiledNodeSelectorTerm, compileNodeSelectorTerm, isEmptyNodeAffinity, matchRequiredNodeAffinity, nodeSelectorTermMatches, RequiredNodeAffinity, requiredNodeAffinityOf } from '../helpers/node-selector';
import type { Plugin } from '../types';
import { defaultNormalizeScore } from './normalize';

const NAME = 'NodeAffinity';
const PREFILTER = 'PreFilter' + NAME;
const PRESCORE = 'PreScore' + NAME;

/** The reason shown for nodes the pod's selector or required affinity excludes. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

/** upstream errReasonConflict: required terms that name nodes name none in common. */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

/**
 * upstream NodeAffinity PreFilter: when every required term names nodes (matchFields metadata.name In), only those
 * nodes can fit (a DaemonSet pod's); undefined when some term does not, as terms are ORed.
 */
export function requiredNodeNames(pod: Pod): Set<string> | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return undefined;
  const out = new Set<string>();
  for (const t of terms) {
    let names: Set<string> | undefined;
    for (const f of t.matchFields ?? []) {
      if (f.key !== 'metadata.name' || f.operator !== 'In') continue;
      const these = new Set(f.values ?? []);
      names = names ? new Set([...names].filter((n) => these.has(n))) : these;
    }
    if (!names) return undefined;
    for (const n of names) out.add(n);
  }
  return out;
}

interface WeightedTerm {
  weight: number;
  term: CompiledNodeSelectorTerm;
}

/** Sum of the weights of the preferred terms the node matches. */
export function preferredAffinityScore(terms: WeightedTerm[], node: Node): number {
  let s = 0;
  for (const t of terms) if (nodeSelectorTermMatches(t.term, node)) s += t.weight;
  return s;
}

/** The NodeAffinity filter and score (weight 2). */
export const nodeAffinity: Plugin = {
  name: NAME,
  weight: 2,
  preFilter(_ctx, state, pod) {
    const a = requiredNodeAffinityOf(pod.pod);
    if (isEmptyNodeAffinity(a)) return 'Skip';
    state.write(PREFILTER, a);
    const names = requiredNodeNames(pod.pod);
    if (names?.size === 0) return { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_CONFLICT], plugin: NAME };
    return names && { nodeNames: names };
  },
  filter(_ctx, state, _pod, node) {
    const a = state.read<RequiredNodeAffinity>(PREFILTER);
    if (!a || !node.node || matchRequiredNodeAffinity(a, node.node)) return undefined;
    return { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_POD], plugin: NAME };
  },
  preScore(_ctx, state, pod) {
    const pref = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    const terms = pref.filter((p) => p.weight !== 0).map((p) => ({ weight: p.weight, term: compileNodeSelectorTerm(p.preference) }));
    if (!terms.length) return false;
    state.write(PRESCORE, terms);
    return true;
  },
  score: (_ctx, state, _pod, node) => (node.node ? preferredAffinityScore(state.read<WeightedTerm[]>(PRESCORE) ?? [], node.node) : 0),
  normalize: (_state, _pod, scores) => defaultNormalizeScore(scores, false),
};
