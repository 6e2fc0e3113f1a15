// The scheduler's shared vocabulary: resource vectors, parsed pods, filter statuses and the plugin interfaces.
import type { Pod } from 'kubernetes-types/core/v1';
import type { Selector } from '../machinery/labels';
import type { NodeInfo } from './node-info';

/** Amounts of resources: cpu in millicores, memory and ephemeral storage in bytes, extended resources in units. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended and hugepage resources (e.g. nvidia.com/gpu); absent when there are none. */
  scalar?: Record<string, number>;
}

/** One host port a container asks for. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** A required or preferred pod (anti-)affinity term, compiled. */
export interface AffinityTerm {
  /** undefined: the term's labelSelector was absent, which selects nothing. */
  selector: Selector | undefined;
  /** Namespaces listed in the term (the pod's own when neither namespaces nor a namespaceSelector is given). */
  namespaces: Set<string>;
  /** undefined: no namespaceSelector; an empty selector selects every namespace. */
  namespaceSelector: Selector | undefined;
  topologyKey: string;
}

/** A preferred term with its weight. */
export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** A pod's affinity terms, compiled once per pod version. */
export interface PodAffinityTerms {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

/** A pod with what the scheduler derives from it, computed once per pod version (as upstream's PodInfo). */
export interface PodInfo {
  /** "namespace/name". */
  key: string;
  pod: Pod;
  /** Requests as the resources fit sees them (init containers and overhead included). */
  requests: Resource;
  /** cpu and memory requests with upstream's defaults (100m, 200Mi) for containers that set none, for scoring. */
  nonZeroCPU: number;
  nonZeroMemory: number;
  priority: number;
  hostPorts: HostPort[];
  /** undefined when the pod has no pod (anti-)affinity at all. */
  affinity: PodAffinityTerms | undefined;
}

/** How a filter failed, as upstream's framework.Status codes. */
export type FailureCode = 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error';

/** A failed filter on one node; success is `undefined`. */
export interface Status {
  code: FailureCode;
  /** The reasons shown in FailedScheduling messages, e.g. "Insufficient cpu". */
  reasons: string[];
  /** The plugin that rejected the node. */
  plugin: string;
}

/** Per-cycle data plugins compute in PreFilter/PreScore; values with clone() are copied when the state is. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Filter plugins whose PreFilter said there is nothing to check for this pod. */
  readonly skipFilter = new Set<string>();
  /** Score plugins whose PreScore said there is nothing to score for this pod. */
  readonly skipScore = new Set<string>();

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  /** A copy for simulations (nominated pods, preemption): cloneable values are cloned, the rest shared. */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, typeof (v as { clone?: unknown })?.clone === 'function' ? (v as { clone(): unknown }).clone() : v);
    for (const s of this.skipFilter) c.skipFilter.add(s);
    for (const s of this.skipScore) c.skipScore.add(s);
    return c;
  }
}

/** What plugins may read besides the pod and the node: the whole snapshot and a few listers. */
export interface PluginContext {
  /** Every node with a Node object, in scheduling order. */
  nodes(): NodeInfo[];
  /** Nodes that run at least one pod with required pod anti-affinity. */
  nodesWithRequiredAntiAffinityPods(): ReadonlySet<NodeInfo>;
  /** Nodes that run at least one pod with any pod (anti-)affinity. */
  nodesWithAffinityPods(): ReadonlySet<NodeInfo>;
  /** The labels of a namespace (for namespaceSelector), undefined when unknown. */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** The selector of the services, replica sets and stateful sets that own a pod, for default spreading (undefined: none). */
  defaultSpreadSelector(pod: Pod): Selector | undefined;
}

/**
 * PreFilter's answer: `undefined` to go on, 'Skip' when the plugin's Filter has nothing to check, the only nodes worth
 * filtering (upstream PreFilterResult.NodeNames), or a failure for all nodes.
 */
export type PreFilterResult = undefined | 'Skip' | { nodeNames: Set<string> } | Status;

/** A scheduling plugin; every hook is optional and synchronous. */
export interface Plugin {
  name: string;
  preFilter?(ctx: PluginContext, state: CycleState, pod: PodInfo): PreFilterResult;
  filter?(ctx: PluginContext, state: CycleState, pod: PodInfo, node: NodeInfo): Status | undefined;
  /** PreFilter extensions: keep the cycle state right when a simulation adds or removes a pod on `node`. */
  addPod?(ctx: PluginContext, state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): void;
  removePod?(ctx: PluginContext, state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): void;
  /** Returns false (Skip) when there is nothing to score. */
  preScore?(ctx: PluginContext, state: CycleState, pod: PodInfo, nodes: NodeInfo[]): boolean;
  score?(ctx: PluginContext, state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** Rescales raw scores (one per node, in `nodes` order) to 0–100 in place. */
  normalize?(state: CycleState, pod: PodInfo, scores: number[], nodes: NodeInfo[]): void;
  /** The score weight in the default profile. */
  weight?: number;
  /** True when Filter always passes on a plain node (not cordoned, no taints), so the framework may skip it there. */
  filterPassesPlainNodes?: boolean;
}

/** The highest node score a plugin gives. */
export const MAX_NODE_SCORE = 100;
