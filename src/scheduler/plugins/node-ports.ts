// NodePorts: a pod's host ports must be free on the node (0.0.0.0 conflicts with every address).
import type { Plugin } from '../types';

/** The reason shown for nodes where a requested host port is taken. */
export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

/** The NodePorts filter. */
export const nodePorts: Plugin = {
  name: 'NodePorts',
  preFilter: (_ctx, _state, pod) => (pod.hostPorts.length ? undefined : 'Skip'),
  filter(_ctx, _state, pod, node) {
    if (!node.portsConflict(pod.hostPorts)) return undefined;
    return { code: 'Unschedulable', reasons: [ERR_REASON_PORTS], plugin: 'NodePorts' };
  },
};
