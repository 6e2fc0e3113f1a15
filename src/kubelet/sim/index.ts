// Simulated kubelets: one per sim node, moving bound pods through their lifecycle without containers (like kwok).
import type { Controller, ControllerDeps } from '../../controllers/types';
import { logger } from '../../util/log';
import { SimKubelets, type SimKubeletOptions } from './manager';

export type { SimKubeletOptions } from './manager';

const log = logger('sim-kubelet');

/** Env var setting the node Lease duration in seconds (renewed every quarter of it), for tests; upstream --node-lease-duration-seconds. */
export const LEASE_DURATION_ENV = 'TUGBOAT_NODE_LEASE_DURATION';

/** Starts a simulated kubelet for every sim node, now and as they are added. */
export function startSimKubelets(deps: ControllerDeps, opts: SimKubeletOptions): Controller {
  const fromEnv = Number(process.env[LEASE_DURATION_ENV]);
  const leaseDurationSeconds = opts.leaseDurationSeconds ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined);
  const kubelets = new SimKubelets(deps, { ...opts, leaseDurationSeconds });
  kubelets.start().catch((e) => log.error('sim kubelets failed to start', { err: (e as Error).message }));
  return kubelets;
}
