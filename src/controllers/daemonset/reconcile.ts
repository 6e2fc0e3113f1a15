// The DaemonSet controller's decisions as pure functions: pods per node, rolling update steps, status.
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { TEMPLATE_GENERATION_ANNOTATION } from '../../api/strategies/daemonset';
import { isPodAvailable, isPodReady } from '../shared/pod-util';
import type { Pod } from '../shared/types';
import { CONTROLLER_REVISION_HASH_LABEL } from '../shared/history';
import type { DaemonSet, Node } from './eligibility';
import { addDaemonTolerations, nodeNameAffinity, nodeShouldRunDaemonPod } from './eligibility';

/** The pod label with the template generation the pod was made from. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** The DaemonSet's template generation, from its annotation. */
export function templateGeneration(ds: DaemonSet): string | undefined {
  return ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
}

/** upstream CreatePodTemplate: the template with the daemon tolerations and the generation and hash labels. */
export function newPodTemplate(ds: DaemonSet, hash: string): PodTemplateSpec {
  const t = structuredClone(ds.spec.template);
  const spec = (t.spec ??= { containers: [] });
  addDaemonTolerations(spec);
  const labels = ((t.metadata ??= {}).labels ??= {});
  const generation = templateGeneration(ds);
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = generation;
  if (hash) labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
  return t;
}

/** The pod template for one node: pinned there through node affinity, for the scheduler to bind. */
export function podTemplateForNode(template: PodTemplateSpec, nodeName: string): PodTemplateSpec {
  const t = structuredClone(template);
  t.spec!.affinity = nodeNameAffinity(t.spec!.affinity, nodeName);
  return t;
}

/** upstream IsPodUpdated: the pod has the current hash or template generation. */
export function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return (!!hash && labels[CONTROLLER_REVISION_HASH_LABEL] === hash) || (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation);
}

/** upstream podByCreationTimestampAndPhase: bound pods first, then oldest, then by name. */
export function byCreation(a: Pod, b: Pod): number {
  const na = !!a.spec.nodeName;
  const nb = !!b.spec.nodeName;
  if (na !== nb) return na ? -1 : 1;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

const terminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const allowsSurge = (ds: DaemonSet) => ds.spec.updateStrategy?.type === 'RollingUpdate' && scaled(ds.spec.updateStrategy.rollingUpdate?.maxSurge, 1) > 0;

/** upstream GetScaledValueFromIntOrPercent, rounding percentages up. */
export function scaled(v: number | string | undefined, total: number): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Math.ceil((Number(m[1]) * total) / 100) : 0;
}

/** What manage decided: nodes to create a pod on, pods to delete, failed pods to kill (after backoff). */
export interface ManagePlan {
  createOn: string[];
  deletePods: Pod[];
  failedPods: { pod: Pod; node: string }[];
}

/**
 * upstream manage/podsShouldBeOnNode: a pod where one should run and none exists; finished or surplus pods deleted;
 * pods on nodes that should not run them, or on nodes that are gone, deleted.
 */
export function manage(ds: DaemonSet, nodes: Node[], nodeToPods: Map<string, Pod[]>, hash: string, now: number): ManagePlan {
  const plan: ManagePlan = { createOn: [], deletePods: [], failedPods: [] };
  const minReady = ds.spec.minReadySeconds ?? 0;
  const known = new Set<string>();
  for (const node of nodes) {
    const name = node.metadata.name!;
    known.add(name);
    const pods = nodeToPods.get(name) ?? [];
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    if (shouldRun && !pods.length) {
      plan.createOn.push(name);
    } else if (shouldContinueRunning) {
      const running: Pod[] = [];
      for (const p of pods) {
        if (p.metadata.deletionTimestamp) continue;
        if (p.status?.phase === 'Failed') plan.failedPods.push({ pod: p, node: name });
        else if (p.status?.phase === 'Succeeded') plan.deletePods.push(p);
        else running.push(p);
      }
      running.sort(byCreation);
      if (!allowsSurge(ds)) {
        // One pod per node: keep the oldest.
        plan.deletePods.push(...running.slice(1));
      } else if (running.length === 0) {
        if (shouldRun) plan.createOn.push(name);
      } else if (running.length > 1) {
        // Surging: keep the oldest new pod and, while it is not yet available, the oldest old pod if that is ready.
        let oldestNew: Pod | undefined;
        let oldestOld: Pod | undefined;
        for (const p of running) {
          const isNew = p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
          if (isNew && !oldestNew) oldestNew = p;
          else if (!isNew && !oldestOld) oldestOld = p;
          else plan.deletePods.push(p);
        }
        if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, now))) plan.deletePods.push(oldestOld);
      }
    } else {
      plan.deletePods.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
    }
  }
  // Nodes that are gone: their pods can never run (upstream leaves bound ones to pod GC; there is none here).
  for (const [name, pods] of nodeToPods) if (!known.has(name)) plan.deletePods.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
  return plan;
}

// upstream findUpdatedPodsOnNode: the node's one new and one old pod; not ok when there are two of either.
function updatedPodsOnNode(pods: Pod[], hash: string, generation: string | undefined): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    if (isPodUpdated(p, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { newPod, oldPod, ok: true };
}

/** upstream updatedDesiredNodeCounts: maxSurge and maxUnavailable against the nodes that want a pod (at least one unavailable when both are 0). */
export function desiredCounts(ds: DaemonSet, nodes: Node[]): { desired: number; maxSurge: number; maxUnavailable: number } {
  const desired = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).length;
  const ru = ds.spec.updateStrategy?.rollingUpdate;
  const maxSurge = scaled(ru?.maxSurge, desired);
  let maxUnavailable = scaled(ru?.maxUnavailable, desired);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { desired, maxSurge, maxUnavailable };
}

/**
 * upstream rollingUpdate. Without surge: delete old pods (unavailable ones first) while at most maxUnavailable pods
 * are unavailable; manage() recreates them. With surge: start a new pod beside an old one on up to maxSurge nodes,
 * and delete the old pod once the new one is available.
 */
export function rollingUpdate(ds: DaemonSet, nodes: Node[], nodeToPods: Map<string, Pod[]>, hash: string, now: number): { deletePods: Pod[]; createOn: string[] } {
  const generation = templateGeneration(ds);
  const minReady = ds.spec.minReadySeconds ?? 0;
  const { desired, maxSurge, maxUnavailable } = desiredCounts(ds, nodes);
  const available = (p: Pod) => isPodAvailable(p, minReady, now);
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name!, n]));
  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: Pod[] = [];
    const candidates: Pod[] = [];
    for (const pods of nodeToPods.values()) {
      const { newPod, oldPod, ok } = updatedPodsOnNode(pods, hash, generation);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) unavailable++;
      else if (newPod) {
        if (!available(newPod)) unavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) replace.push(oldPod);
        else if (unavailable < maxUnavailable) candidates.push(oldPod);
      }
    }
    const room = Math.min(Math.max(maxUnavailable - unavailable, 0), candidates.length);
    return { deletePods: [...replace, ...candidates.slice(0, room)], createOn: [] };
  }
  const deletePods: Pod[] = [];
  const shouldNotRun: Pod[] = [];
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  let surge = 0;
  let numAvailable = 0;
  for (const [node, pods] of nodeToPods) {
    const { newPod, oldPod, ok } = updatedPodsOnNode(pods, hash, generation);
    if (!ok) {
      surge++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod && available(newPod)) numAvailable++;
    const n = nodeByName.get(node);
    const shouldRun = !!n && nodeShouldRunDaemonPod(n, ds).shouldRun;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun) deletePods.push(oldPod);
        else allowedNew.push(node);
      } else if (!shouldRun) shouldNotRun.push(oldPod);
      else if (surge < maxSurge) candidateNew.push(node);
    } else if (!available(newPod)) surge++;
    else deletePods.push(oldPod);
  }
  // Pods on nodes that no longer want one go only while enough pods elsewhere are available.
  const deletable = Math.min(Math.max(numAvailable - desired, 0), shouldNotRun.length);
  deletePods.push(...shouldNotRun.slice(0, deletable));
  const room = Math.min(Math.max(maxSurge - surge, 0), candidateNew.length);
  return { deletePods, createOn: [...allowedNew, ...candidateNew.slice(0, room)] };
}

/** upstream updateDaemonSetStatus's counts: desired, current, misscheduled, ready, updated, available and unavailable. */
export function calculateStatus(ds: DaemonSet, nodes: Node[], nodeToPods: Map<string, Pod[]>, hash: string, now: number): DaemonSetStatus {
  const generation = templateGeneration(ds);
  const minReady = ds.spec.minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of nodes) {
    // Deleted pods that already finished no longer count.
    const pods = (nodeToPods.get(node.metadata.name!) ?? []).filter((p) => !(p.metadata.deletionTimestamp && terminal(p)));
    const scheduled = pods.length > 0;
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (scheduled) misscheduled++;
      continue;
    }
    desired++;
    if (!scheduled) continue;
    current++;
    const pod = [...pods].sort(byCreation)[0];
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
    if (isPodUpdated(pod, hash, generation)) updated++;
  }
  const status: DaemonSetStatus = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    observedGeneration: ds.metadata.generation,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
  // Go's omitempty leaves these out when zero.
  for (const k of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const) if (!status[k]) delete status[k];
  if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount;
  if (ds.status?.conditions?.length) status.conditions = ds.status.conditions;
  return status;
}

/** True when the status must be written (upstream storeDaemonSetStatus skips identical ones). */
export function statusNeedsUpdate(ds: DaemonSet, next: DaemonSetStatus): boolean {
  const cur: Partial<DaemonSetStatus> = ds.status ?? {};
  const keys = [
    'desiredNumberScheduled',
    'currentNumberScheduled',
    'numberMisscheduled',
    'numberReady',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
    'observedGeneration',
    'collisionCount',
  ] as const;
  return cur.observedGeneration === undefined || keys.some((k) => (cur[k] ?? 0) !== (next[k] ?? 0));
}
