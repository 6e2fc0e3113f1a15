// NodeUnschedulable: cordoned nodes (spec.unschedulable) take only pods tolerating node.kubernetes.io/unschedulable.
import { tolerated } from '../helpers/taints';
import type { Plugin } from '../types';

/** The reason shown for cordoned nodes. */
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** The NodeUnschedulable filter. */
export const nodeUnschedulable: Plugin = {
  name: 'NodeUnschedulable',
  filterPassesPlainNodes: true,
  filter(_ctx, _state, pod, node) {
    if (!node.unschedulable || tolerated(UNSCHEDULABLE_TAINT, pod.pod.spec?.tolerations)) return undefined;
    return { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_UNSCHEDULABLE], plugin: 'NodeUnschedulable' };
  },
};
