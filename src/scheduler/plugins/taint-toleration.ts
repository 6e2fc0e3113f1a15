// TaintToleration: NoSchedule/NoExecute taints must be tolerated; untolerated PreferNoSchedule taints lower the score.
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import { findUntoleratedTaint, tolerated } from '../helpers/taints';
import type { Plugin } from '../types';
import { defaultNormalizeScore } from './normalize';

const NAME = 'TaintToleration';
const STATE = 'PreScore' + NAME;

/** The reason upstream gives for a node with a taint the pod does not tolerate. */
export function untoleratedTaintReason(t: Taint): string {
  return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
}

const hardEffect = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

/** Untolerated PreferNoSchedule taints, counting only tolerations that apply to PreferNoSchedule. */
export function countIntolerableTaintsPreferNoSchedule(taints: readonly Taint[] | undefined, tolerations: Toleration[]): number {
  let n = 0;
  for (const t of taints ?? []) if (t.effect === 'PreferNoSchedule' && !tolerated(t, tolerations)) n++;
  return n;
}

/** The TaintToleration filter and score (weight 3). */
export const taintToleration: Plugin = {
  name: NAME,
  filterPassesPlainNodes: true,
  weight: 3,
  filter(_ctx, _state, pod, node) {
    const taint = node.hasTaints ? findUntoleratedTaint(node.taints, pod.pod.spec?.tolerations, hardEffect) : undefined;
    if (!taint) return undefined;
    return { code: 'UnschedulableAndUnresolvable', reasons: [untoleratedTaintReason(taint)], plugin: NAME };
  },
  preScore(_ctx, state, pod, nodes) {
    // Without any taint on the candidates every node would score 100: the same for all, so nothing to rank.
    let tainted = false;
    for (let i = 0; i < nodes.length && !tainted; i++) tainted = nodes[i].hasTaints;
    if (!tainted) return false;
    state.write(STATE, (pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule'));
    return true;
  },
  score: (_ctx, state, _pod, node) => node.hasTaints ? countIntolerableTaintsPreferNoSchedule(node.taints, state.read<Toleration[]>(STATE) ?? []) : 0,
  normalize: (_state, _pod, scores) => defaultNormalizeScore(scores, true),
};
