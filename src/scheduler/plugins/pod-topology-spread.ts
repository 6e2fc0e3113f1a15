// PodTopologySpread: DoNotSchedule constraints bound the skew of matching pods across domains; ScheduleAnyway (and system defaults) score it.
import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import { labelSelectorFromObject, matchesLabels, Selector } from '../../machinery/labels';
import { findUntoleratedTaint } from '../helpers/taints';
import { matchRequiredNodeAffinity, RequiredNodeAffinity, requiredNodeAffinityOf } from '../helpers/node-selector';
import type { NodeInfo } from '../node-info';
import { MAX_NODE_SCORE, PluginContext, PodInfo, Plugin } from '../types';

const NAME = 'PodTopologySpread';
const PREFILTER = 'PreFilter' + NAME;
const PRESCORE = 'PreScore' + NAME;
const HOSTNAME = 'kubernetes.io/hostname';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

/** A compiled constraint. */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  /** undefined: no labelSelector, which matches no pod. */
  selector: Selector | undefined;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

/** upstream's system default constraints, applied for scoring to pods without constraints that services or controllers select. */
const SYSTEM_DEFAULTS = [
  { topologyKey: HOSTNAME, maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 5 },
];

/** Compiles the pod's constraints of one kind; matchLabelKeys add the pod's own values to the selector, as upstream. */
export function compileConstraints(pod: Pod, when: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
  const labels = (pod.metadata?.labels ?? {}) as Record<string, string>;
  return (pod.spec?.topologySpreadConstraints ?? [])
    .filter((c: TopologySpreadConstraint) => c.whenUnsatisfiable === when)
    .map((c) => {
      let selector = c.labelSelector ? labelSelectorFromObject(c.labelSelector) : undefined;
      if (selector) for (const k of c.matchLabelKeys ?? []) if (k in labels) selector = [...selector, { key: k, op: 'In' as const, values: [labels[k]] }];
      return {
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        selector,
        minDomains: c.minDomains ?? 1,
        nodeAffinityPolicy: c.nodeAffinityPolicy === 'Ignore' ? 'Ignore' : 'Honor',
        nodeTaintsPolicy: c.nodeTaintsPolicy === 'Honor' ? 'Honor' : 'Ignore',
      };
    });
}

const hasAllKeys = (node: NodeInfo, cs: SpreadConstraint[]) => cs.every((c) => c.topologyKey in node.labels);

/** upstream matchNodeInclusionPolicies: whether the node's domain counts for a constraint. */
export function nodeIncluded(c: SpreadConstraint, pod: Pod, affinity: RequiredNodeAffinity, node: NodeInfo): boolean {
  if (!node.node) return false;
  if (c.nodeAffinityPolicy === 'Honor' && !matchRequiredNodeAffinity(affinity, node.node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findUntoleratedTaint(node.taints, pod.spec?.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) return false;
  return true;
}

const selects = (sel: Selector | undefined, pod: Pod) => !!sel && matchesLabels(sel, pod.metadata?.labels as Record<string, string> | undefined);

/** Pods on the node in `namespace`, not terminating, that the selector matches. */
export function countMatching(node: NodeInfo, sel: Selector | undefined, namespace: string): number {
  if (!sel) return 0;
  let n = 0;
  for (const p of node.pods) if (!p.pod.metadata?.deletionTimestamp && p.pod.metadata?.namespace === namespace && selects(sel, p.pod)) n++;
  return n;
}

/** Matching-pod counts per domain for each DoNotSchedule constraint (upstream preFilterState). */
export class SpreadState {
  /** Per constraint: topology value → matching pods. */
  counts: Map<string, number>[];
  private mins: (number | undefined)[];

  constructor(
    readonly constraints: SpreadConstraint[],
    readonly affinity: RequiredNodeAffinity,
  ) {
    this.counts = constraints.map(() => new Map());
    this.mins = constraints.map(() => undefined);
  }

  /** The smallest count across domains, or 0 while there are fewer domains than minDomains. */
  minMatchNum(i: number): number {
    const m = this.counts[i];
    if (m.size < this.constraints[i].minDomains) return 0;
    let min = this.mins[i];
    if (min === undefined) {
      min = Infinity;
      for (const v of m.values()) if (v < min) min = v;
      this.mins[i] = min;
    }
    return min === Infinity ? 0 : min;
  }

  /** Accounts for a pod added (1) or removed (-1) on a node. */
  update(pod: PodInfo, other: PodInfo, node: NodeInfo, delta: number): void {
    if (other.pod.metadata?.namespace !== pod.pod.metadata?.namespace || !hasAllKeys(node, this.constraints)) return;
    this.constraints.forEach((c, i) => {
      if (!selects(c.selector, other.pod) || !nodeIncluded(c, pod.pod, this.affinity, node)) return;
      const v = node.labels[c.topologyKey];
      this.counts[i].set(v, (this.counts[i].get(v) ?? 0) + delta);
      this.mins[i] = undefined;
    });
  }

  clone(): SpreadState {
    const c = new SpreadState(this.constraints, this.affinity);
    c.counts = this.counts.map((m) => new Map(m));
    return c;
  }
}

/** upstream calPreFilterState: counts over every node that has all the topology keys and passes the inclusion policies. */
export function computeSpreadState(nodes: NodeInfo[], pod: PodInfo, constraints: SpreadConstraint[]): SpreadState {
  const s = new SpreadState(constraints, requiredNodeAffinityOf(pod.pod));
  const ns = pod.pod.metadata?.namespace ?? '';
  for (const node of nodes) {
    if (!hasAllKeys(node, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!nodeIncluded(c, pod.pod, s.affinity, node)) return;
      const v = node.labels[c.topologyKey];
      s.counts[i].set(v, (s.counts[i].get(v) ?? 0) + countMatching(node, c.selector, ns));
    });
  }
  return s;
}

/** upstream Filter: matchNum + selfMatch - minMatchNum must not exceed maxSkew for any constraint. */
export function spreadFilter(s: SpreadState, pod: Pod, node: NodeInfo): { code: 'Unschedulable' | 'UnschedulableAndUnresolvable'; reason: string } | undefined {
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i];
    const v = node.labels[c.topologyKey];
    if (v === undefined) return { code: 'UnschedulableAndUnresolvable', reason: ERR_REASON_NODE_LABEL_NOT_MATCH };
    const skew = (s.counts[i].get(v) ?? 0) + (selects(c.selector, pod) ? 1 : 0) - s.minMatchNum(i);
    if (skew > c.maxSkew) return { code: 'Unschedulable', reason: ERR_REASON_CONSTRAINTS_NOT_MATCH };
  }
  return undefined;
}

/** What PreScore computes (upstream preScoreState). */
export interface SpreadScoreState {
  constraints: SpreadConstraint[];
  ignored: Set<string>;
  /** Per constraint: topology value → matching pods (hostname constraints are counted per node at Score). */
  counts: Map<string, number>[];
  weights: number[];
}

/** The ScheduleAnyway constraints of a pod, or the system defaults for pods that have none at all. */
export function scoringConstraints(ctx: PluginContext, pod: Pod): { constraints: SpreadConstraint[]; requireAllTopologies: boolean } {
  if (pod.spec?.topologySpreadConstraints?.length) return { constraints: compileConstraints(pod, 'ScheduleAnyway'), requireAllTopologies: true };
  const selector = ctx.defaultSpreadSelector(pod);
  if (!selector?.length) return { constraints: [], requireAllTopologies: false };
  const constraints = SYSTEM_DEFAULTS.map((d) => ({ ...d, selector, minDomains: 1, nodeAffinityPolicy: 'Honor' as const, nodeTaintsPolicy: 'Ignore' as const }));
  return { constraints, requireAllTopologies: false };
}

/** upstream PreScore: domains of the feasible nodes, counts over all nodes, and a log weight per constraint. */
export function computeSpreadScoreState(all: NodeInfo[], feasible: NodeInfo[], pod: PodInfo, constraints: SpreadConstraint[], requireAllTopologies: boolean): SpreadScoreState {
  const s: SpreadScoreState = { constraints, ignored: new Set(), counts: constraints.map(() => new Map()), weights: [] };
  const sizes = constraints.map(() => 0);
  for (const node of feasible) {
    if (requireAllTopologies && !hasAllKeys(node, constraints)) {
      s.ignored.add(node.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === HOSTNAME) return;
      const v = node.labels[c.topologyKey];
      if (!s.counts[i].has(v)) {
        s.counts[i].set(v, 0);
        sizes[i]++;
      }
    });
  }
  s.weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? feasible.length - s.ignored.size : sizes[i]) + 2));
  const affinity = requiredNodeAffinityOf(pod.pod);
  const ns = pod.pod.metadata?.namespace ?? '';
  for (const node of all) {
    if (requireAllTopologies && !hasAllKeys(node, constraints)) continue;
    constraints.forEach((c, i) => {
      if (c.topologyKey === HOSTNAME) return;
      const v = node.labels[c.topologyKey];
      const cur = v === undefined ? undefined : s.counts[i].get(v);
      if (cur !== undefined && nodeIncluded(c, pod.pod, affinity, node)) s.counts[i].set(v, cur + countMatching(node, c.selector, ns));
    });
  }
  return s;
}

/** upstream Score: Σ count × weight + (maxSkew − 1) over the constraints whose key the node has. */
export function spreadScore(s: SpreadScoreState, pod: Pod, node: NodeInfo): number {
  if (s.ignored.has(node.name)) return 0;
  let score = 0;
  s.constraints.forEach((c, i) => {
    const v = node.labels[c.topologyKey];
    if (v === undefined) return;
    const cnt = c.topologyKey === HOSTNAME ? countMatching(node, c.selector, pod.metadata?.namespace ?? '') : (s.counts[i].get(v) ?? 0);
    score += cnt * s.weights[i] + (c.maxSkew - 1);
  });
  return Math.round(score);
}

/** upstream NormalizeScore: fewer matching pods → higher score; ignored nodes get 0. */
export function normalizeSpreadScores(s: SpreadScoreState, scores: number[], nodes: NodeInfo[]): void {
  let min = Infinity;
  let max = 0;
  nodes.forEach((n, i) => {
    if (s.ignored.has(n.name)) return;
    if (scores[i] < min) min = scores[i];
    if (scores[i] > max) max = scores[i];
  });
  nodes.forEach((n, i) => {
    if (s.ignored.has(n.name)) scores[i] = 0;
    else if (max === 0) scores[i] = MAX_NODE_SCORE;
    else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
  });
}

/** The PodTopologySpread filter and score (weight 2). */
export const podTopologySpread: Plugin = {
  name: NAME,
  weight: 2,
  preFilter(ctx, state, pod) {
    const constraints = compileConstraints(pod.pod, 'DoNotSchedule');
    if (!constraints.length) return 'Skip';
    state.write(PREFILTER, computeSpreadState(ctx.nodes(), pod, constraints));
    return undefined;
  },
  filter(_ctx, state, pod, node) {
    const s = state.read<SpreadState>(PREFILTER);
    const r = s && spreadFilter(s, pod.pod, node);
    return r ? { code: r.code, reasons: [r.reason], plugin: NAME } : undefined;
  },
  addPod: (_ctx, state, pod, added, node) => state.read<SpreadState>(PREFILTER)?.update(pod, added, node, 1),
  removePod: (_ctx, state, pod, removed, node) => state.read<SpreadState>(PREFILTER)?.update(pod, removed, node, -1),
  preScore(ctx, state, pod, nodes) {
    const { constraints, requireAllTopologies } = scoringConstraints(ctx, pod.pod);
    if (!constraints.length) return false;
    state.write(PRESCORE, computeSpreadScoreState(ctx.nodes(), nodes, pod, constraints, requireAllTopologies));
    return true;
  },
  score: (_ctx, state, pod, node) => spreadScore(state.read<SpreadScoreState>(PRESCORE)!, pod.pod, node),
  normalize: (state, _pod, scores, nodes) => normalizeSpreadScores(state.read<SpreadScoreState>(PRESCORE)!, scores, nodes),
};
