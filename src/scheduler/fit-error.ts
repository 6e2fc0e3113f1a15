// FailedScheduling messages in upstream's form: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable."
import type { Diagnosis } from './framework';
import type { Status } from './types';

/** upstream sortReasonsHistogram: "count reason" per distinct reason over all nodes, sorted as strings. */
export function reasonsHistogram(nodeToStatus: Map<string, Status>): string[] {
  const counts = new Map<string, number>();
  for (const s of nodeToStatus.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const out = [...counts].map(([r, n]) => `${n} ${r}`);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** upstream FitError.Error(): the node count, the PreFilter message or the reasons histogram, then the PostFilter message. */
export function fitErrorMessage(numAllNodes: number, diagnosis: Diagnosis, postFilterMsg = ''): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (diagnosis.preFilterMsg) msg += ` ${diagnosis.preFilterMsg}.`;
  else msg += ` ${reasonsHistogram(diagnosis.nodeToStatus).join(', ')}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}.`;
  return msg;
}
