// The scheduling framework: the default plugin profile, running PreFilter/Filter/PreScore/Score, and picking a node.
import type { NodeInfo } from './node-info';
import { balancedAllocation } from './plugins/balanced-allocation';
import { interPodAffinity } from './plugins/inter-pod-affinity';
import { nodeAffinity } from './plugins/node-affinity';
import { nodeName } from './plugins/node-name';
import { nodePorts } from './plugins/node-ports';
import { nodeResourcesFit } from './plugins/node-resources-fit';
import { nodeUnschedulable } from './plugins/node-unschedulable';
import { podTopologySpread } from './plugins/pod-topology-spread';
import { taintToleration } from './plugins/taint-toleration';
import { CycleState, Plugin, PluginContext, PodInfo, Status } from './types';

/** upstream's default profile, filters in upstream's order. */
export const DEFAULT_PLUGINS: Plugin[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  podTopologySpread,
  interPodAffinity,
  balancedAllocation,
];

/** Why no node fit: a status per rejected node, the plugins that rejected, or a PreFilter message for all nodes. */
export interface Diagnosis {
  nodeToStatus: Map<string, Status>;
  unschedulablePlugins: Set<string>;
  preFilterMsg?: string;
}

/** What PreFilter decided for the cycle. */
export interface PreFilterOutcome {
  /** Set when the pod fits no node. */
  failure?: Status;
  /** Set when only these nodes need filtering. */
  nodeNames?: Set<string>;
  /** Plugins that narrowed the nodes, sorted as upstream lists them. */
  narrowedBy: string[];
}

/** Nodes below this count are all checked; above it, upstream stops once enough feasible nodes are found. */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** upstream numFeasibleNodesToFind with the adaptive percentage (50% − nodes/125, at least 5%). */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentageOfNodesToScore;
  if (pct <= 0) pct = Math.max(50 - Math.trunc(numAllNodes / 125), MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
  return Math.max(Math.trunc((numAllNodes * pct) / 100), MIN_FEASIBLE_NODES_TO_FIND);
}

const FILTERS = 'framework/filters';

/** Runs the plugins' extension points for one pod; stateless apart from the plugin list. */
export class Framework {
  private readonly filterPlugins: Plugin[];
  private readonly scorePlugins: Plugin[];

  constructor(readonly plugins: Plugin[] = DEFAULT_PLUGINS) {
    this.filterPlugins = plugins.filter((p) => p.filter);
    this.scorePlugins = plugins.filter((p) => p.score);
  }

  /**
   * Runs PreFilter: a failure applies to every node; node names from several plugins are intersected (upstream
   * PreFilterResult.Merge), and an empty intersection is a failure naming the plugins.
   */
  runPreFilter(ctx: PluginContext, state: CycleState, pod: PodInfo): PreFilterOutcome {
    let nodeNames: Set<string> | undefined;
    const narrowedBy: string[] = [];
    for (const p of this.plugins) {
      const r = p.preFilter?.(ctx, state, pod);
      if (r === undefined) continue;
      if (r === 'Skip') state.skipFilter.add(p.name);
      else if ('nodeNames' in r) {
        narrowedBy.push(p.name);
        nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => r.nodeNames.has(n))) : r.nodeNames;
        if (!nodeNames.size) {
          const msg = narrowedBy.length === 1 ? `node(s) didn't satisfy plugin ${narrowedBy[0]}` : `node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`;
          return { failure: { code: 'Unschedulable', reasons: [msg], plugin: p.name }, narrowedBy };
        }
      } else return { failure: r, narrowedBy };
    }
    state.write(FILTERS, this.filterPlugins.filter((p) => !state.skipFilter.has(p.name)));
    return { nodeNames, narrowedBy };
  }

  /** The filters that run this cycle (those whose PreFilter did not skip), and those of them that matter on plain nodes. */
  activeFilters(state: CycleState): { all: Plugin[]; plain: Plugin[] } {
    const all = state.read<Plugin[]>(FILTERS) ?? this.filterPlugins;
    return { all, plain: all.filter((p) => !p.filterPassesPlainNodes) };
  }

  /** Runs the filters on one node; the first rejection wins, as upstream. */
  runFilters(ctx: PluginContext, state: CycleState, pod: PodInfo, node: NodeInfo, active = this.activeFilters(state)): Status | undefined {
    const filters = node.plain ? active.plain : active.all;
    for (let i = 0; i < filters.length; i++) {
      const s = filters[i].filter!(ctx, state, pod, node);
      if (s) return s;
    }
    return undefined;
  }

  /**
   * upstream RunFilterPluginsWithNominatedPods: with higher-or-equal priority pods nominated to the node treated as
   * running, then (if that passes) without them, so a pod never takes room preemption freed for a more important one.
   */
  runFiltersWithNominatedPods(ctx: PluginContext, state: CycleState, pod: PodInfo, node: NodeInfo, nominated: PodInfo[]): Status | undefined {
    if (!nominated.length) return this.runFilters(ctx, state, pod, node);
    const withState = state.clone();
    const withNode = node.clone();
    for (const n of nominated) {
      withNode.addPod(n);
      this.addPod(ctx, withState, pod, n, withNode);
    }
    return this.runFilters(ctx, withState, pod, withNode) ?? this.runFilters(ctx, state, pod, node);
  }

  /** PreFilter extensions: tells the plugins' cycle state that `added` now runs on `node`. */
  addPod(ctx: PluginContext, state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): void {
    for (const p of this.plugins) if (!state.skipFilter.has(p.name)) p.addPod?.(ctx, state, pod, added, node);
  }

  /** PreFilter extensions: tells the plugins' cycle state that `removed` no longer runs on `node`. */
  removePod(ctx: PluginContext, state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): void {
    for (const p of this.plugins) if (!state.skipFilter.has(p.name)) p.removePod?.(ctx, state, pod, removed, node);
  }

  /** PreScore, Score, NormalizeScore and weights; returns each node's total. */
  scoreNodes(ctx: PluginContext, state: CycleState, pod: PodInfo, nodes: NodeInfo[]): number[] {
    const n = nodes.length;
    const active = this.scorePlugins.filter((p) => !p.preScore || p.preScore(ctx, state, pod, nodes));
    const scores = active.map(() => new Array<number>(n));
    // Node by node, every plugin: each node's data is touched once.
    for (let i = 0; i < n; i++) {
      const node = nodes[i];
      for (let j = 0; j < active.length; j++) scores[j][i] = active[j].score!(ctx, state, pod, node);
    }
    const totals = new Array<number>(n).fill(0);
    active.forEach((p, j) => {
      p.normalize?.(state, pod, scores[j], nodes);
      const w = p.weight ?? 1;
      for (let i = 0; i < n; i++) totals[i] += scores[j][i] * w;
    });
    return totals;
  }
}

/** upstream selectHost: the highest total; ties broken uniformly at random (reservoir sampling). */
export function selectHost(nodes: NodeInfo[], totals: number[], random: () => number = Math.random): NodeInfo {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < nodes.length; i++) {
    if (totals[i] > totals[best]) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return nodes[best];
}
