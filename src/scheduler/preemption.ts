// Preemption (upstream DefaultPreemption): find the node where evicting the fewest, least important lower-priority pods makes room.
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { labelSelectorFromObject, matchesLabels } from '../machinery/labels';
import { Diagnosis, Framework } from './framework';
import { fitErrorMessage } from './fit-error';
import type { NodeInfo } from './node-info';
import { CycleState, PluginContext, PodInfo, Status } from './types';

/** upstream's DefaultPreemption arguments: at least 10% of the nodes or 100 are tried as candidates. */
const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

export const MSG_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const MSG_NO_VICTIMS = 'No preemption victims found for incoming pod';

/** A node where preemption would make room, and what it costs. */
export interface Candidate {
  node: NodeInfo;
  victims: PodInfo[];
  numPDBViolations: number;
}

/** What preemption needs from the failed attempt and the cluster. */
export interface PreemptionInput {
  ctx: PluginContext;
  fw: Framework;
  pod: PodInfo;
  /** The cycle state after PreFilter, from the failed attempt. */
  state: CycleState;
  diagnosis: Diagnosis;
  pdbs: PodDisruptionBudget[];
  nominatedPodsFor(node: string, pod: PodInfo): PodInfo[];
  now: number;
  random?: () => number;
}

/** Preemption's answer: a node and victims, or the message for the FailedScheduling event ("preemption: …"). */
export type PreemptionResult = { node: NodeInfo; victims: PodInfo[] } | { message: string; clearNomination: boolean };

const startTime = (p: Pod, now: number) => (p.status?.startTime ? Date.parse(p.status.startTime) : now);

/** upstream MoreImportantPod: higher priority, then the one that started earlier. */
export function moreImportant(a: PodInfo, b: PodInfo, now: number): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return startTime(a.pod, now) < startTime(b.pod, now);
}

/** True when the scheduler is already evicting this pod (upstream podTerminatingByPreemption). */
export function terminatingByPreemption(p: Pod): boolean {
  return !!p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'DisruptionTarget' && c.reason === 'PreemptionByScheduler' && c.status === 'True');
}

/** upstream PodEligibleToPreemptOthers: not with preemptionPolicy Never, nor while victims on its nominated node are still going. */
export function podEligibleToPreemptOthers(pod: PodInfo, nominatedStatus: Status | undefined, nodeOf: (name: string) => NodeInfo | undefined): string | undefined {
  if (pod.pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = pod.pod.status?.nominatedNodeName;
  if (nominated && nominatedStatus?.code !== 'UnschedulableAndUnresolvable') {
    const node = nodeOf(nominated);
    if (node?.pods.some((p) => p.priority < pod.priority && terminatingByPreemption(p.pod))) return 'not eligible due to a terminating pod on the nominated node.';
  }
  return undefined;
}

/** upstream filterPodsWithPDBViolation: victims whose eviction would exceed a matching budget's disruptionsAllowed. */
export function filterPodsWithPDBViolation(pods: PodInfo[], pdbs: PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => (p.spec?.selector ? labelSelectorFromObject(p.spec.selector) : []));
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    const labels = pi.pod.metadata?.labels as Record<string, string> | undefined;
    let violated = false;
    if (labels && Object.keys(labels).length) {
      pdbs.forEach((pdb, i) => {
        // A budget with an empty selector matches nothing; pods already counted as disrupted are not counted again.
        if (pdb.metadata?.namespace !== pi.pod.metadata?.namespace || !selectors[i].length || !matchesLabels(selectors[i], labels)) return;
        if (pdb.status?.disruptedPods?.[pi.pod.metadata?.name ?? '']) return;
        if (--allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

/**
 * upstream SelectVictimsOnNode on copies of the node and state: remove every lower-priority pod; if the pod then fits,
 * put back as many as possible (budget-protected first, most important first). Returns the victims or why not.
 */
export function selectVictimsOnNode(input: PreemptionInput, node: NodeInfo): { victims: PodInfo[]; numPDBViolations: number } | Status {
  const { ctx, fw, pod } = input;
  const state = input.state.clone();
  const n = node.clone();
  const nominated = input.nominatedPodsFor(node.name, pod);
  const potential = n.pods.filter((p) => p.priority < pod.priority);
  if (!potential.length) return { code: 'UnschedulableAndUnresolvable', reasons: [MSG_NO_VICTIMS], plugin: 'DefaultPreemption' };
  for (const v of potential) {
    n.removePod(v.key);
    fw.removePod(ctx, state, pod, v, n);
  }
  const fails = fw.runFiltersWithNominatedPods(ctx, state, pod, n, nominated);
  if (fails) return fails;
  potential.sort((a, b) => (moreImportant(a, b, input.now) ? -1 : moreImportant(b, a, input.now) ? 1 : 0));
  const { violating, nonViolating } = filterPodsWithPDBViolation(potential, input.pdbs);
  const victims: PodInfo[] = [];
  let numPDBViolations = 0;
  const reprieve = (p: PodInfo): boolean => {
    n.addPod(p);
    fw.addPod(ctx, state, pod, p, n);
    if (!fw.runFiltersWithNominatedPods(ctx, state, pod, n, nominated)) return true;
    n.removePod(p.key);
    fw.removePod(ctx, state, pod, p, n);
    victims.push(p);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) numPDBViolations++;
  for (const p of nonViolating) reprieve(p);
  if (violating.length && nonViolating.length) victims.sort((a, b) => (moreImportant(a, b, input.now) ? -1 : moreImportant(b, a, input.now) ? 1 : 0));
  return { victims, numPDBViolations };
}

/** upstream pickOneNodeForPreemption: fewest budget violations, lowest top victim priority, lowest priority sum, fewest victims, latest start. */
export function pickOneNodeForPreemption(candidates: Candidate[], now: number): Candidate {
  const criteria: ((c: Candidate) => number)[] = [
    (c) => -c.numPDBViolations,
    (c) => -Math.max(...c.victims.map((v) => v.priority)),
    // Priorities are shifted to be positive so that negative ones still count as a cost.
    (c) => -c.victims.reduce((s, v) => s + v.priority + 2 ** 31, 0),
    (c) => -c.victims.length,
    (c) => {
      const top = Math.max(...c.victims.map((v) => v.priority));
      return Math.min(...c.victims.filter((v) => v.priority === top).map((v) => startTime(v.pod, now)));
    },
  ];
  let best = candidates;
  for (const score of criteria) {
    if (best.length === 1) break;
    const scores = best.map(score);
    const max = Math.max(...scores);
    best = best.filter((_, i) => scores[i] === max);
  }
  return best[0];
}

/** How many candidates upstream looks for before choosing. */
export function numCandidates(numNodes: number): number {
  return Math.min(numNodes, Math.max(Math.trunc((numNodes * MIN_CANDIDATE_NODES_PERCENTAGE) / 100), MIN_CANDIDATE_NODES_ABSOLUTE));
}

/** upstream Evaluator.Preempt, without the API calls: eligibility, candidates from a dry run, the best candidate. */
export function preempt(input: PreemptionInput, nodeOf: (name: string) => NodeInfo | undefined): PreemptionResult {
  const nominated = input.pod.pod.status?.nominatedNodeName;
  const notEligible = podEligibleToPreemptOthers(input.pod, nominated ? input.diagnosis.nodeToStatus.get(nominated) : undefined, nodeOf);
  if (notEligible) return { message: `preemption: ${notEligible}`, clearNomination: false };
  const all = input.ctx.nodes();
  const statuses = new Map<string, Status>();
  const potential: NodeInfo[] = [];
  for (const n of all) {
    if (input.diagnosis.nodeToStatus.get(n.name)?.code === 'UnschedulableAndUnresolvable') {
      statuses.set(n.name, { code: 'UnschedulableAndUnresolvable', reasons: [MSG_NOT_HELPFUL], plugin: 'DefaultPreemption' });
    } else potential.push(n);
  }
  const candidates: Candidate[] = [];
  if (potential.length) {
    const want = numCandidates(potential.length);
    const offset = Math.floor((input.random ?? Math.random)() * potential.length);
    let nonViolating = 0;
    for (let i = 0; i < potential.length; i++) {
      const node = potential[(offset + i) % potential.length];
      const r = selectVictimsOnNode(input, node);
      if ('code' in r) {
        statuses.set(node.name, r);
        continue;
      }
      if (!r.victims.length) {
        statuses.set(node.name, { code: 'Error', reasons: [`expected at least one victim pod on node "${node.name}"`], plugin: 'DefaultPreemption' });
        continue;
      }
      candidates.push({ node, ...r });
      if (r.numPDBViolations === 0) nonViolating++;
      if (nonViolating > 0 && candidates.length >= want) break;
    }
  }
  if (!candidates.length) {
    const msg = fitErrorMessage(all.length, { nodeToStatus: statuses, unschedulablePlugins: new Set() });
    return { message: `preemption: ${msg}`, clearNomination: true };
  }
  const best = pickOneNodeForPreemption(candidates, input.now);
  return { node: best.node, victims: best.victims };
}
