// The `kubectl get pods` row: READY, STATUS (reasons such as ContainerCreating, CrashLoopBackOff, Init:0/1, Terminating), RESTARTS.
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import type { ColumnDefinition, KObject } from '../types';
import { AGE, age, col, since } from './table-helpers';

/** Pod columns after NAME, as upstream's printer declares them. */
export const podColumns: ColumnDefinition[] = [
  col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'The aggregate status of the containers in this pod.'),
  col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  AGE,
  col('IP', 'podIP address allocated to the pod.', 'string', 1),
  col('Node', 'NodeName indicates in which node this pod is scheduled.', 'string', 1),
  col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 'string', 1),
  col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 'string', 1),
];

const isSidecar = (pod: Pod, name: string) => pod.spec?.initContainers?.some((c) => c.name === name && c.restartPolicy === 'Always') ?? false;

// Latest lastState.terminated.finishedAt seen, as ms.
function laterRestart(latest: number, s: ContainerStatus): number {
  const t = s.lastState?.terminated?.finishedAt;
  return t ? Math.max(latest, Date.parse(t)) : latest;
}

/** READY, STATUS and RESTARTS exactly as upstream's printPod computes them. */
export function podStatusCells(pod: Pod, now: number): [string, string, string] {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = spec.containers?.length ?? 0;
  let ready = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  let reason: string = status.reason || status.phase || '';
  if (status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';
  for (const c of spec.initContainers ?? []) if (c.restartPolicy === 'Always') total++;

  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    restarts += c.restartCount ?? 0;
    lastRestart = laterRestart(lastRestart, c);
    const sidecar = isSidecar(pod, c.name);
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = laterRestart(lastSidecarRestart, c);
    }
    const term = c.state?.terminated;
    if (term && term.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${spec.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }

  const initialized = status.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ?? false;
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestart = laterRestart(lastRestart, c);
      const st = c.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated?.reason) reason = st.terminated.reason;
      else if (st.terminated) reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode}`;
      else if (c.ready && st.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  const deleting = !!pod.metadata?.deletionTimestamp;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart > 0 ? `${restarts} (${since(new Date(lastRestart).toISOString(), now)} ago)` : String(restarts);
  return [`${ready}/${total}`, reason, restartsText];
}

/** The full pod row (wide cells included; kubectl hides priority-1 columns unless -o wide). */
export function podRow(obj: KObject, now: number): unknown[] {
  const pod = obj as Pod;
  const [ready, reason, restarts] = podStatusCells(pod, now);
  const podIP = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
  const gates = pod.spec?.readinessGates ?? [];
  let readinessGates = '<none>';
  if (gates.length) {
    const trueCount = gates.filter((g) => pod.status?.conditions?.find((c) => c.type === g.conditionType)?.status === 'True').length;
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [ready, reason, restarts, age(obj, now), podIP, pod.spec?.nodeName || '<none>', pod.status?.nominatedNodeName || '<none>', readinessGates];
}
