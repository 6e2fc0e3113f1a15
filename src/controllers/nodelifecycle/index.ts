// Node lifecycle: missed leases mark nodes unknown and taint them; NoExecute taints evict pods.
import { parseGoDuration } from '../../util/duration';
import { logger } from '../../util/log';
import type { Controller, ControllerDeps } from '../types';
import { DEFAULT_NODE_LIFECYCLE_OPTIONS, NodeLifecycleController, type NodeLifecycleOptions } from './controller';
import { TaintEvictionController } from './taint-eviction';

const log = logger('node-lifecycle-controller');

/** Env var shortening the node monitor grace period (e.g. "6s"), for tests; upstream --node-monitor-grace-period. */
export const GRACE_PERIOD_ENV = 'TUGBOAT_NODE_MONITOR_GRACE_PERIOD';

/** Parses a Go duration ("40s", "500ms", "1m") or plain seconds into ms; undefined when unset or unreadable. */
export function parseDurationMs(text: string | undefined): number | undefined {
  const t = text?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  try {
    return parseGoDuration(t);
  } catch {
    return undefined;
  }
}

/** Options from upstream defaults and the environment: a shorter grace period also shortens the monitor period. */
export function nodeLifecycleOptions(env: NodeJS.ProcessEnv = process.env): NodeLifecycleOptions {
  const grace = parseDurationMs(env[GRACE_PERIOD_ENV]);
  if (grace === undefined) return DEFAULT_NODE_LIFECYCLE_OPTIONS;
  return {
    ...DEFAULT_NODE_LIFECYCLE_OPTIONS,
    monitorGraceMs: grace,
    startupGraceMs: Math.max(grace, Math.min(DEFAULT_NODE_LIFECYCLE_OPTIONS.startupGraceMs, grace * 1.5)),
    monitorPeriodMs: Math.min(DEFAULT_NODE_LIFECYCLE_OPTIONS.monitorPeriodMs, Math.max(250, grace / 4)),
  };
}

/** Starts the NodeLifecycle controller and the taint eviction controller beside it. */
export function startNodeLifecycleController(deps: ControllerDeps, opts: NodeLifecycleOptions = nodeLifecycleOptions()): Controller {
  const lifecycle = new NodeLifecycleController(deps, opts);
  const eviction = new TaintEvictionController(deps);
  const fail = (what: string) => (e: unknown) => log.error(`${what} failed to start`, { err: (e as Error).message });
  lifecycle.start().catch(fail('node lifecycle controller'));
  eviction.start().catch(fail('taint eviction controller'));
  return {
    stop() {
      lifecycle.stop();
      eviction.stop();
    },
  };
}
