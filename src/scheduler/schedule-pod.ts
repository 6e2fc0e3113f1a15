// One scheduling attempt for one pod, synchronous over the snapshot: PreFilter, filter a sample of nodes, score, pick.
import { Diagnosis, Framework, numFeasibleNodesToFind, selectHost } from './framework';
import type { NodeInfo } from './node-info';
import { CycleState, PluginContext, PodInfo, Status } from './types';

/** What schedulePod needs besides the pod. */
export interface ScheduleInput {
  ctx: PluginContext;
  fw: Framework;
  /** Pods nominated to a node (by preemption) that the pod must leave room for. */
  nominatedPodsFor(node: string, pod: PodInfo): PodInfo[];
  /** False when no pod is nominated anywhere (saves a lookup per node). */
  hasNominatedPods?: boolean;
  /** Where to start in the node list, so successive pods look at different nodes (upstream nextStartNodeIndex). */
  startIndex: number;
  percentageOfNodesToScore?: number;
}

/** The outcome of one attempt. */
export type ScheduleOutcome =
  | { kind: 'scheduled'; node: NodeInfo; state: CycleState; processed: number }
  | { kind: 'unschedulable'; numAllNodes: number; diagnosis: Diagnosis; state: CycleState; processed: number }
  | { kind: 'noNodes' };

/** upstream ErrNoNodesAvailable. */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** Finds a node for `pod` (upstream schedulePod + findNodesThatFitPod); pure over the snapshot in `in.ctx`. */
export function schedulePod(pod: PodInfo, input: ScheduleInput): ScheduleOutcome {
  const { ctx, fw } = input;
  const nodes = ctx.nodes();
  if (!nodes.length) return { kind: 'noNodes' };
  const state = new CycleState();
  const diagnosis: Diagnosis = { nodeToStatus: new Map(), unschedulablePlugins: new Set() };
  const pre = fw.runPreFilter(ctx, state, pod);
  for (const p of pre.narrowedBy) diagnosis.unschedulablePlugins.add(p);
  if (pre.failure) {
    diagnosis.preFilterMsg = pre.failure.reasons.join(', ');
    diagnosis.unschedulablePlugins.add(pre.failure.plugin);
    for (const n of nodes) diagnosis.nodeToStatus.set(n.name, pre.failure);
    return { kind: 'unschedulable', numAllNodes: nodes.length, diagnosis, state, processed: 0 };
  }
  // PreFilter may have named the only possible nodes (a DaemonSet pod's node): filter just those.
  const candidates = pre.nodeNames ? nodes.filter((n) => pre.nodeNames!.has(n.name)) : nodes;
  const absent = (): void => {
    if (!pre.nodeNames) return;
    const st: Status = { code: 'UnschedulableAndUnresolvable', reasons: [`node(s) didn't satisfy plugin(s) [${[...pre.narrowedBy].sort().join(' ')}]`], plugin: pre.narrowedBy[0] };
    for (const n of nodes) if (!pre.nodeNames.has(n.name)) diagnosis.nodeToStatus.set(n.name, st);
  };
  // A node nominated by an earlier preemption is most likely the one that fits: try it alone first.
  const nominatedName = pod.pod.status?.nominatedNodeName;
  if (nominatedName) {
    const n = candidates.find((x) => x.name === nominatedName);
    if (n) {
      const s = fw.runFiltersWithNominatedPods(ctx, state, pod, n, input.nominatedPodsFor(n.name, pod));
      if (!s) return { kind: 'scheduled', node: n, state, processed: 0 };
      diagnosis.nodeToStatus.set(n.name, s);
    }
  }
  const toFind = numFeasibleNodesToFind(candidates.length, input.percentageOfNodesToScore);
  const feasible: NodeInfo[] = [];
  const filters = fw.activeFilters(state);
  const checkNominated = input.hasNominatedPods !== false;
  let processed = 0;
  let idx = candidates.length ? input.startIndex % candidates.length : 0;
  for (let i = 0; i < candidates.length && feasible.length < toFind; i++, idx = idx + 1 === candidates.length ? 0 : idx + 1) {
    const node = candidates[idx];
    processed++;
    const nominated = checkNominated ? input.nominatedPodsFor(node.name, pod) : undefined;
    const s = nominated?.length ? fw.runFiltersWithNominatedPods(ctx, state, pod, node, nominated) : fw.runFilters(ctx, state, pod, node, filters);
    if (s) {
      diagnosis.nodeToStatus.set(node.name, s);
      diagnosis.unschedulablePlugins.add(s.plugin);
    } else {
      if (node.name === nominatedName) diagnosis.nodeToStatus.delete(node.name);
      feasible.push(node);
    }
  }
  if (!feasible.length) {
    absent();
    return { kind: 'unschedulable', numAllNodes: nodes.length, diagnosis, state, processed };
  }
  if (feasible.length === 1) return { kind: 'scheduled', node: feasible[0], state, processed };
  return { kind: 'scheduled', node: selectHost(feasible, fw.scoreNodes(ctx, state, pod, feasible)), state, processed };
}
