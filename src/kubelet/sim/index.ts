// Simulated kubelets: one per sim node, moving bound pods through their lifecycle without containers (like kwok).
import type { Controller, ControllerDeps } from '../../controllers/types';

/** Options of the sim kubelet manager. */
export interface SimKubeletOptions {
  /** Sim nodes to make sure exist at start (sim-node-1 … sim-node-N). */
  initialNodes: number;
}

/** Starts a simulated kubelet for every sim node, now and as they are added. */
export function startSimKubelets(deps: ControllerDeps, opts: SimKubeletOptions): Controller {
  void deps;
  void opts;
  return { stop() {} };
}
