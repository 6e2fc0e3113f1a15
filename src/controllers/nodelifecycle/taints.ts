// Pure: the taints the node lifecycle controller keeps on nodes (conditions → NoSchedule, Ready → NoExecute).
import type { NodeCondition, Taint } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import { rfc3339 } from '../../util/clock';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** The NoExecute taint of an unreachable node (Ready Unknown). */
export const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };
/** The NoExecute taint of a not-ready node (Ready False). */
export const NOT_READY_NO_EXECUTE: Taint = { key: TAINT_NOT_READY, effect: 'NoExecute' };

// Which condition status gives which NoSchedule taint (upstream nodeConditionToTaintKeyStatusMap).
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const MANAGED_NO_SCHEDULE = new Set([TAINT_UNSCHEDULABLE, ...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m))]);

/** Index of the pod informer: the node a pod is bound to (upstream nodeNameKeyIndex). */
export const NODE_NAME_INDEX = 'spec.nodeName';

/** Every NoExecute taint of a node. */
export function noExecuteTaints(node: KObject | undefined): Taint[] {
  return ((node?.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoExecute');
}

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

/** Whether `taints` has a taint with the key and effect of `t`. */
export function hasTaint(taints: Taint[] | undefined, t: Taint): boolean {
  return (taints ?? []).some((x) => sameTaint(x, t));
}

/** The NoSchedule taints a node should carry for its conditions and spec.unschedulable (doNoScheduleTaintingPass). */
export function desiredNoScheduleTaints(node: KObject): Taint[] {
  const out: Taint[] = [];
  for (const c of (node.status?.conditions ?? []) as NodeCondition[]) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) out.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return out;
}

/** What the NoSchedule pass adds and removes: only the controller's own NoSchedule taints are compared. */
export function noScheduleTaintChanges(node: KObject): { add: Taint[]; remove: Taint[] } {
  const desired = desiredNoScheduleTaints(node);
  const existing = ((node.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key));
  return {
    add: desired.filter((d) => !hasTaint(existing, d)),
    remove: existing.filter((e) => !hasTaint(desired, e)),
  };
}

/** The node's taints with `remove` taken out and `add` put in (stamped timeAdded), or undefined when nothing changes. */
export function swapTaints(taints: Taint[] | undefined, add: Taint[], remove: Taint[], now: number): Taint[] | undefined {
  const current = taints ?? [];
  const kept = current.filter((t) => !remove.some((r) => sameTaint(r, t)));
  const added = add.filter((a) => !hasTaint(kept, a)).map((a) => ({ ...a, timeAdded: rfc3339(now) }));
  if (kept.length === current.length && added.length === 0) return undefined;
  return [...kept, ...added];
}

/** The NoExecute taint to add and its opposite to remove for a Ready status; undefined when Ready is True. */
export function noExecuteSwap(readyStatus: string): { add: Taint; remove: Taint } | undefined {
  if (readyStatus === 'False') return { add: NOT_READY_NO_EXECUTE, remove: UNREACHABLE_NO_EXECUTE };
  if (readyStatus === 'Unknown') return { add: UNREACHABLE_NO_EXECUTE, remove: NOT_READY_NO_EXECUTE };
  return undefined;
}

/** The zone of a node for disruption accounting (upstream GetZoneKey: region and zone labels). */
export function zoneKey(node: KObject): string {
  const labels = node.metadata.labels ?? {};
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\u0000:${zone}` : '';
}

/** Health of a zone (upstream ComputeZoneState). */
export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** A zone is fully disrupted when no node is Ready, partially when > 2 nodes and at least `threshold` of them are not. */
export function computeZoneState(readyStatuses: (string | undefined)[], threshold = 0.55): ZoneState {
  const ready = readyStatuses.filter((s) => s === 'True').length;
  const notReady = readyStatuses.length - ready;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / readyStatuses.length >= threshold) return 'PartialDisruption';
  return 'Normal';
}
