// The node conditions a kubelet posts (Ready and the pressure conditions) and when a status report is due.
import type { NodeCondition } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../util/clock';

/** How often an unchanged node status is reported anyway (upstream nodeStatusReportFrequency, 5 min). */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;

/** Condition without times. */
export type NodeConditionSpec = Pick<NodeCondition, 'type' | 'status' | 'reason' | 'message'>;

/** The conditions of a healthy kubelet, in the order the kubelet posts them. */
export const HEALTHY_NODE_CONDITIONS: NodeConditionSpec[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/** Conditions as posted at `now`: heartbeat now, transition time kept while the status is unchanged; others' conditions kept. */
export function postNodeConditions(old: NodeCondition[] | undefined, desired: NodeConditionSpec[], now: number): NodeCondition[] {
  const ts = rfc3339(now);
  const owned = new Set(desired.map((d) => d.type));
  const out: NodeCondition[] = (old ?? []).filter((c) => !owned.has(c.type));
  for (const d of desired) {
    const prev = old?.find((c) => c.type === d.type);
    out.push({
      type: d.type,
      status: d.status,
      lastHeartbeatTime: ts,
      lastTransitionTime: prev && prev.status === d.status && prev.lastTransitionTime ? prev.lastTransitionTime : ts,
      reason: d.reason,
      message: d.message,
    });
  }
  return out;
}

/** Whether stored conditions differ from the desired ones in anything but times (then the kubelet reports at once). */
export function nodeConditionsChanged(old: NodeCondition[] | undefined, desired: NodeConditionSpec[]): boolean {
  return desired.some((d) => {
    const c = old?.find((x) => x.type === d.type);
    return !c || c.status !== d.status || c.reason !== d.reason || c.message !== d.message;
  });
}

/** When the next unchanged-status report is due: the Ready heartbeat plus the report frequency (0 when never posted). */
export function nextNodeReportAt(conditions: NodeCondition[] | undefined, reportMs = NODE_STATUS_REPORT_MS): number {
  const hb = conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
  return hb ? Date.parse(hb) + reportMs : 0;
}
