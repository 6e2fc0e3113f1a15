// The pod conditions a kubelet owns (upstream kubelet/status/generate.go) and how they merge into the stored ones.
import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../util/clock';

/** The condition types a kubelet writes; any other condition on a pod is kept as it is. */
export const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** An init container with restartPolicy Always (a sidecar): it keeps running next to the regular containers. */
export function isRestartableInit(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

// Go prints a []string as [a b c].
const goList = (names: string[]) => `[${names.join(' ')}]`;

type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/** Condition without times: what the kubelet would post now. */
export type GeneratedCondition = Pick<PodCondition, 'type' | 'status' | 'reason' | 'message'>;

/** ContainersReady: every regular container and sidecar is ready (GenerateContainersReadyCondition). */
export function containersReadyCondition(pod: Pod, statuses: ContainerStatus[], initStatuses: ContainerStatus[], phase: Phase): GeneratedCondition {
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (c: Container, list: ContainerStatus[]) => {
    const s = list.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  };
  for (const c of pod.spec?.initContainers ?? []) if (isRestartableInit(c)) check(c, initStatuses);
  for (const c of pod.spec?.containers ?? []) check(c, statuses);
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed') {
    return { type: 'ContainersReady', status: 'False', reason: phase === 'Failed' ? 'PodFailed' : 'PodCompleted' };
  }
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${goList(unready)}`);
  if (msgs.length) return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: msgs.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

/** Ready: ContainersReady plus every readiness gate's condition True (GeneratePodReadyCondition). */
export function podReadyCondition(pod: Pod, conditions: PodCondition[], containersReady: GeneratedCondition): GeneratedCondition {
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const msgs: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (!c) msgs.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') msgs.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  if (msgs.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: msgs.join(', ') };
  return { type: 'Ready', status: 'True' };
}

/** Initialized: every init container completed (a sidecar: started), or a regular container already started. */
export function initializedCondition(pod: Pod, statuses: ContainerStatus[], initStatuses: ContainerStatus[], phase: Phase): GeneratedCondition {
  const inits = pod.spec?.initContainers ?? [];
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = initStatuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (isRestartableInit(c) ? !s.started : !s.ready) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  const regularStarted = statuses.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
  if (regularStarted) return { type: 'Initialized', status: 'True' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (msgs.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: msgs.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

/** The kubelet's conditions in the order it posts them. */
export function generatePodConditions(
  pod: Pod,
  statuses: ContainerStatus[],
  initStatuses: ContainerStatus[],
  phase: Phase,
  sandboxReady: boolean,
): GeneratedCondition[] {
  const containersReady = containersReadyCondition(pod, statuses, initStatuses, phase);
  return [
    { type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' },
    initializedCondition(pod, statuses, initStatuses, phase),
    podReadyCondition(pod, pod.status?.conditions ?? [], containersReady),
    containersReady,
    { type: 'PodScheduled', status: 'True' },
  ];
}

/**
 * The stored conditions after a kubelet update: conditions others own first (kept as they are), then the kubelet's,
 * each keeping its lastTransitionTime while its status is unchanged (upstream status manager's mergePodStatus).
 */
export function mergePodConditions(old: PodCondition[] | undefined, generated: GeneratedCondition[], now: number): PodCondition[] {
  const out: PodCondition[] = (old ?? []).filter((c) => !KUBELET_CONDITIONS.includes(c.type));
  for (const g of generated) {
    const prev = old?.find((c) => c.type === g.type);
    const cond: PodCondition = { type: g.type, status: g.status, lastProbeTime: null as unknown as string };
    cond.lastTransitionTime = prev && prev.status === g.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now);
    if (g.reason) cond.reason = g.reason;
    if (g.message) cond.message = g.message;
    out.push(cond);
  }
  return out;
}

/** The pod phase from container states (upstream kubelet getPhase); `terminal` is a pod whose containers were stopped for good. */
export function podPhase(pod: Pod, statuses: ContainerStatus[], initStatuses: ContainerStatus[], terminal = false): Phase {
  const spec = pod.spec;
  const policy = spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec?.initContainers ?? []) {
    const s = initStatuses.find((x) => x.name === c.name);
    if (isRestartableInit(c)) {
      if (!s) unknown++;
      else if (s.state?.running) {
        if (!s.started) pendingInit++;
        running++;
      } else if (s.state?.waiting && !s.lastState?.terminated) {
        pendingInit++;
        waiting++;
      }
      continue;
    }
    if (!s || s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.lastState?.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failedInit++;
    } else pendingInit++;
  }
  for (const c of spec?.containers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown++;
    else if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else if (s.state?.waiting) waiting++;
    else unknown++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit > 0 || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    return policy === 'Never' ? 'Failed' : 'Running';
  }
  return 'Pending';
}
