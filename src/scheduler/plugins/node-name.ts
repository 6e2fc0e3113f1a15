// NodeName: a pod naming a node in spec.nodeName fits only that node (used in simulations; the queue skips bound pods).
import type { Plugin } from '../types';

/** The reason shown for other nodes. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/** The NodeName filter. */
export const nodeName: Plugin = {
  name: 'NodeName',
  preFilter: (_ctx, _state, pod) => (pod.pod.spec?.nodeName ? undefined : 'Skip'),
  filter(_ctx, _state, pod, node) {
    const want = pod.pod.spec?.nodeName;
    if (!want || want === node.name) return undefined;
    return { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_NODE_NAME], plugin: 'NodeName' };
  },
};
