// InterPodAffinity: required pod affinity/anti-affinity (the pod's own and existing pods') filter nodes; preferred terms score them.
import type { Pod } from 'kubernetes-types/core/v1';
import type { NodeInfo } from '../node-info';
import { termMatches } from '../pod-info';
import { AffinityTerm, MAX_NODE_SCORE, PluginContext, PodInfo, Plugin, WeightedAffinityTerm } from '../types';

const NAME = 'InterPodAffinity';
const PREFILTER = 'PreFilter' + NAME;
const PRESCORE = 'PreScore' + NAME;
/** upstream's default hardPodAffinityWeight: how much an existing pod's required affinity to the incoming pod counts in scoring. */
const HARD_POD_AFFINITY_WEIGHT = 1;

export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

/** Counts keyed by topology pair "key\0value". */
type PairCounts = Map<string, number>;

const pair = (key: string, value: string) => `${key}\u0000${value}`;

function bump(m: PairCounts, node: NodeInfo, key: string, delta: number): void {
  const v = node.labels[key];
  if (v === undefined) return;
  const p = pair(key, v);
  const n = (m.get(p) ?? 0) + delta;
  if (n === 0) m.delete(p);
  else m.set(p, n);
}

/** True when `pod` matches every term (and there is at least one). */
function podMatchesAllAffinityTerms(terms: AffinityTerm[], pod: Pod, nsLabels: PluginContext['namespaceLabels']): boolean {
  if (!terms.length) return false;
  for (const t of terms) if (!termMatches(t, pod, nsLabels)) return false;
  return true;
}

/** What PreFilter counts across the cluster for one incoming pod. */
export class AffinityState {
  /** Pairs where an existing pod's required anti-affinity matches the incoming pod. */
  existingAntiAffinityCounts: PairCounts = new Map();
  /** Pairs where existing pods match all the incoming pod's required affinity terms. */
  affinityCounts: PairCounts = new Map();
  /** Pairs where existing pods match one of the incoming pod's required anti-affinity terms. */
  antiAffinityCounts: PairCounts = new Map();

  constructor(readonly pod: PodInfo) {}

  /** Accounts for `other` being added (1) or removed (-1) on `node`. */
  update(ctx: PluginContext, other: PodInfo, node: NodeInfo, delta: number): void {
    const nsLabels = ctx.namespaceLabels;
    for (const t of other.affinity?.requiredAntiAffinity ?? []) {
      if (termMatches(t, this.pod.pod, nsLabels)) bump(this.existingAntiAffinityCounts, node, t.topologyKey, delta);
    }
    const mine = this.pod.affinity;
    if (!mine) return;
    if (podMatchesAllAffinityTerms(mine.requiredAffinity, other.pod, nsLabels)) {
      for (const t of mine.requiredAffinity) bump(this.affinityCounts, node, t.topologyKey, delta);
    }
    for (const t of mine.requiredAntiAffinity) if (termMatches(t, other.pod, nsLabels)) bump(this.antiAffinityCounts, node, t.topologyKey, delta);
  }

  clone(): AffinityState {
    const c = new AffinityState(this.pod);
    c.existingAntiAffinityCounts = new Map(this.existingAntiAffinityCounts);
    c.affinityCounts = new Map(this.affinityCounts);
    c.antiAffinityCounts = new Map(this.antiAffinityCounts);
    return c;
  }
}

/** upstream PreFilter: counts over nodes with anti-affinity pods, and over every pod when the incoming pod has required terms. */
export function computeAffinityState(ctx: PluginContext, pod: PodInfo): AffinityState {
  const s = new AffinityState(pod);
  const nsLabels = ctx.namespaceLabels;
  for (const node of ctx.nodesWithRequiredAntiAffinityPods()) {
    for (const e of node.podsWithRequiredAntiAffinity) {
      for (const t of e.affinity!.requiredAntiAffinity) if (termMatches(t, pod.pod, nsLabels)) bump(s.existingAntiAffinityCounts, node, t.topologyKey, 1);
    }
  }
  const a = pod.affinity;
  if (a && (a.requiredAffinity.length || a.requiredAntiAffinity.length)) {
    for (const node of ctx.nodes()) {
      for (const e of node.pods) {
        if (podMatchesAllAffinityTerms(a.requiredAffinity, e.pod, nsLabels)) for (const t of a.requiredAffinity) bump(s.affinityCounts, node, t.topologyKey, 1);
        for (const t of a.requiredAntiAffinity) if (termMatches(t, e.pod, nsLabels)) bump(s.antiAffinityCounts, node, t.topologyKey, 1);
      }
    }
  }
  return s;
}

/** upstream satisfyPodAffinity: every term's topology has a matching pod, or this is the first pod of a self-affine group. */
export function satisfyPodAffinity(ctx: PluginContext, s: AffinityState, node: NodeInfo): boolean {
  const terms = s.pod.affinity?.requiredAffinity ?? [];
  let podsExist = true;
  for (const t of terms) {
    const v = node.labels[t.topologyKey];
    if (v === undefined) return false;
    if ((s.affinityCounts.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  return s.affinityCounts.size === 0 && podMatchesAllAffinityTerms(terms, s.pod.pod, ctx.namespaceLabels);
}

/** upstream satisfyPodAntiAffinity: no term's topology on this node holds a matching pod. */
export function satisfyPodAntiAffinity(s: AffinityState, node: NodeInfo): boolean {
  if (!s.antiAffinityCounts.size) return true;
  for (const t of s.pod.affinity?.requiredAntiAffinity ?? []) {
    const v = node.labels[t.topologyKey];
    if (v !== undefined && (s.antiAffinityCounts.get(pair(t.topologyKey, v)) ?? 0) > 0) return false;
  }
  return true;
}

/** upstream satisfyExistingPodsAntiAffinity: no existing pod's anti-affinity covers one of this node's labels. */
export function satisfyExistingPodsAntiAffinity(s: AffinityState, node: NodeInfo): boolean {
  if (!s.existingAntiAffinityCounts.size) return true;
  const labels = node.labels;
  for (const k in labels) if ((s.existingAntiAffinityCounts.get(pair(k, labels[k])) ?? 0) > 0) return false;
  return true;
}

/** Topology key → value → score, from preferred terms (upstream preScoreState.topologyScore). */
type TopologyScore = Map<string, Map<string, number>>;

function addScore(m: TopologyScore, key: string, value: string, delta: number): void {
  let byValue = m.get(key);
  if (!byValue) m.set(key, (byValue = new Map()));
  byValue.set(value, (byValue.get(value) ?? 0) + delta);
}

function processTerms(m: TopologyScore, terms: WeightedAffinityTerm[] | AffinityTerm[], weight: number | undefined, target: Pod, node: NodeInfo, sign: number, nsLabels: PluginContext['namespaceLabels']): void {
  for (const t of terms) {
    if (!termMatches(t, target, nsLabels)) continue;
    const v = node.labels[t.topologyKey];
    if (v !== undefined) addScore(m, t.topologyKey, v, sign * (weight ?? (t as WeightedAffinityTerm).weight));
  }
}

/** upstream InterPodAffinity PreScore: topology scores from every relevant existing pod; undefined when there is nothing to score. */
export function computeTopologyScore(ctx: PluginContext, pod: PodInfo): TopologyScore | undefined {
  const a = pod.affinity;
  const hasPreferred = !!a && (a.preferredAffinity.length > 0 || a.preferredAntiAffinity.length > 0);
  const nsLabels = ctx.namespaceLabels;
  const m: TopologyScore = new Map();
  const nodes = hasPreferred ? ctx.nodes() : ctx.nodesWithAffinityPods();
  for (const node of nodes) {
    if (!Object.keys(node.labels).length) continue;
    for (const e of hasPreferred ? node.pods : node.podsWithAffinity) {
      if (a) {
        processTerms(m, a.preferredAffinity, undefined, e.pod, node, 1, nsLabels);
        processTerms(m, a.preferredAntiAffinity, undefined, e.pod, node, -1, nsLabels);
      }
      const ea = e.affinity;
      if (!ea) continue;
      processTerms(m, ea.requiredAffinity, HARD_POD_AFFINITY_WEIGHT, pod.pod, node, 1, nsLabels);
      processTerms(m, ea.preferredAffinity, undefined, pod.pod, node, 1, nsLabels);
      processTerms(m, ea.preferredAntiAffinity, undefined, pod.pod, node, -1, nsLabels);
    }
  }
  return m.size ? m : undefined;
}

/** The raw score of a node: the sum of its topology values' scores. */
export function topologyScoreOf(m: TopologyScore, node: NodeInfo): number {
  let s = 0;
  for (const [key, byValue] of m) {
    const v = node.labels[key];
    if (v !== undefined) s += byValue.get(v) ?? 0;
  }
  return s;
}

/** upstream's min-max normalization (scores may be negative). */
export function normalizeAffinityScores(scores: number[]): void {
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    if (s > max) max = s;
    if (s < min) min = s;
  }
  const diff = max - min;
  for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i] - min)) / diff) : 0;
}

/** The InterPodAffinity filter and score (weight 2). */
export const interPodAffinity: Plugin = {
  name: NAME,
  weight: 2,
  preFilter(ctx, state, pod) {
    const a = pod.affinity;
    const hasRequired = !!a && (a.requiredAffinity.length > 0 || a.requiredAntiAffinity.length > 0);
    if (!hasRequired && ctx.nodesWithRequiredAntiAffinityPods().size === 0) return 'Skip';
    state.write(PREFILTER, computeAffinityState(ctx, pod));
    return undefined;
  },
  filter(ctx, state, _pod, node) {
    const s = state.read<AffinityState>(PREFILTER);
    if (!s) return undefined;
    if (!satisfyPodAffinity(ctx, s, node)) return { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_AFFINITY], plugin: NAME };
    if (!satisfyPodAntiAffinity(s, node)) return { code: 'Unschedulable', reasons: [ERR_REASON_ANTI_AFFINITY], plugin: NAME };
    if (!satisfyExistingPodsAntiAffinity(s, node)) return { code: 'Unschedulable', reasons: [ERR_REASON_EXISTING_ANTI_AFFINITY], plugin: NAME };
    return undefined;
  },
  addPod: (ctx, state, _pod, added, node) => state.read<AffinityState>(PREFILTER)?.update(ctx, added, node, 1),
  removePod: (ctx, state, _pod, removed, node) => state.read<AffinityState>(PREFILTER)?.update(ctx, removed, node, -1),
  preScore(ctx, state, pod) {
    const m = computeTopologyScore(ctx, pod);
    if (!m) return false;
    state.write(PRESCORE, m);
    return true;
  },
  score: (_ctx, state, _pod, node) => topologyScoreOf(state.read<TopologyScore>(PRESCORE)!, node),
  normalize: (_state, _pod, scores) => normalizeAffinityScores(scores),
};
