// Pure: node health from status heartbeats and Lease renewals (upstream tryUpdateNodeHealth), timestamps taken locally.
import type { NodeCondition } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import { rfc3339 } from '../../util/clock';

/** What the controller remembers of a node: when it last saw a sign of life, by its own clock (no skew). */
export interface NodeHealth {
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  /** The Ready condition last observed. */
  ready?: NodeCondition;
  /** renewTime of the Lease last observed. */
  leaseRenewTime?: string;
}

/** Grace periods of the health check. */
export interface HealthConfig {
  /** No heartbeat for this long → Unknown (upstream node-monitor-grace-period, 40 s). */
  monitorGraceMs: number;
  /** The same for a node that never posted status (node-startup-grace-period, 60 s). */
  startupGraceMs: number;
}

/** The outcome of one health check. */
export interface HealthResult {
  health: NodeHealth;
  /** Ready as it was before this check (a synthetic Unknown when the node never posted one). */
  observedReady: NodeCondition;
  /** Ready after this check (undefined when the node has none and is still in its startup grace). */
  currentReady?: NodeCondition;
  /** New conditions to post with UpdateStatus, when the check changed Ready. */
  conditions?: NodeCondition[];
}

/** The conditions the controller turns Unknown when heartbeats stop (NetworkUnavailable belongs to the network plugin). */
export const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

const readyOf = (conds: NodeCondition[] | undefined) => conds?.find((c) => c.type === 'Ready');
const later = (a: string | undefined, b: string | undefined) => !!b && (!a || Date.parse(a) < Date.parse(b));

/** One health check of `node` with its Lease at `now`, given what was remembered. */
export function updateNodeHealth(node: KObject, saved: NodeHealth | undefined, lease: KObject | undefined, now: number, cfg: HealthConfig): HealthResult {
  const conditions: NodeCondition[] = node.status?.conditions ?? [];
  const current = readyOf(conditions);
  const created = Date.parse(node.metadata.creationTimestamp ?? '') || now;
  let observedReady: NodeCondition;
  let grace: number;
  let health: NodeHealth;
  if (!current) {
    const ts = node.metadata.creationTimestamp;
    observedReady = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: ts, lastTransitionTime: ts };
    grace = cfg.startupGraceMs;
    health = saved ? { ...saved, ready: undefined } : { probeTimestamp: created, readyTransitionTimestamp: created };
  } else {
    observedReady = { ...current };
    grace = cfg.monitorGraceMs;
    if (!saved || !saved.ready) {
      health = { probeTimestamp: now, readyTransitionTimestamp: now, ready: current, leaseRenewTime: saved?.leaseRenewTime };
    } else if (saved.ready.lastHeartbeatTime !== current.lastHeartbeatTime) {
      const transition = saved.ready.lastTransitionTime !== current.lastTransitionTime ? now : saved.readyTransitionTimestamp;
      health = { probeTimestamp: now, readyTransitionTimestamp: transition, ready: current, leaseRenewTime: saved.leaseRenewTime };
    } else health = { ...saved, ready: current };
  }
  // A renewed Lease is a sign of life even when the status is not posted.
  const renew = lease?.spec?.renewTime as string | undefined;
  if (renew && later(health.leaseRenewTime, renew)) health = { ...health, leaseRenewTime: renew, probeTimestamp: now };

  if (now <= health.probeTimestamp + grace) return { health, observedReady, currentReady: current };
  const ts = rfc3339(now);
  const next: NodeCondition[] = conditions.map((c) => ({ ...c }));
  for (const type of MONITORED_CONDITIONS) {
    const c = next.find((x) => x.type === type);
    if (!c) {
      next.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata.creationTimestamp,
        lastTransitionTime: ts,
      });
    } else if (c.status !== 'Unknown') {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
      c.lastTransitionTime = ts;
    }
  }
  const newReady = readyOf(next)!;
  const changed = newReady.status !== observedReady.status || newReady.reason !== observedReady.reason || newReady.lastTransitionTime !== observedReady.lastTransitionTime;
  if (!changed) return { health, observedReady, currentReady: current ?? newReady };
  return { health: { ...health, ready: newReady, readyTransitionTimestamp: now }, observedReady, currentReady: newReady, conditions: next };
}
