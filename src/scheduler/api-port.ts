// The scheduler's port to the API: bindings, status patches and preemption evictions through the client.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import { R } from '../client/types';
import type { ControllerDeps } from '../controllers/types';
import { rfc3339 } from '../util/clock';
import { DEFAULT_SCHEDULER_NAME, SchedulerPort } from './scheduler';

/**
 * A JSON patch setting one condition (and nominatedNodeName: "" removes it). A JSON patch keeps `lastProbeTime: null`
 * as upstream serializes it, where a merge patch would drop the null; the `test` op guards the condition's index.
 */
export function statusPatch(pod: Pod, condition: PodCondition | undefined, nominatedNodeName: string | undefined): object[] {
  const ops: object[] = [];
  if (condition) {
    const conds = pod.status?.conditions;
    const i = conds?.findIndex((c) => c.type === condition.type) ?? -1;
    if (!conds) ops.push({ op: 'add', path: '/status/conditions', value: [condition] });
    else if (i < 0) ops.push({ op: 'add', path: '/status/conditions/-', value: condition });
    else ops.push({ op: 'test', path: `/status/conditions/${i}/type`, value: condition.type }, { op: 'replace', path: `/status/conditions/${i}`, value: condition });
  }
  if (nominatedNodeName) ops.push({ op: 'add', path: '/status/nominatedNodeName', value: nominatedNodeName });
  else if (nominatedNodeName === '' && pod.status?.nominatedNodeName) ops.push({ op: 'remove', path: '/status/nominatedNodeName' });
  return ops;
}

/** The scheduler's writes through the API client. */
export function apiPort(deps: ControllerDeps): SchedulerPort {
  const pods = deps.client.resource(R.pods);
  return {
    async bind(pod, node) {
      const m = pod.metadata!;
      await pods.createSubresource(m.namespace!, m.name!, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: m.name, namespace: m.namespace, uid: m.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
    },
    async patchStatus(pod, condition, nominatedNodeName) {
      const m = pod.metadata!;
      await pods.patch(m.namespace!, m.name!, 'json', statusPatch(pod, condition, nominatedNodeName), { subresource: 'status' });
    },
    async evict(victim, preemptor) {
      const m = victim.metadata!;
      const cond: PodCondition = {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'PreemptionByScheduler',
        message: `${preemptor.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME}: preempting to accommodate a higher priority pod`,
        lastProbeTime: null as unknown as string,
        lastTransitionTime: rfc3339(deps.clock.now()),
      };
      // The condition is informative; a kubelet racing on the conditions list must not stop the eviction.
      await pods.patch(m.namespace!, m.name!, 'json', statusPatch(victim, cond, undefined), { subresource: 'status' }).catch(() => undefined);
      await pods.delete(m.namespace!, m.name!, { preconditions: { uid: m.uid } });
    },
  };
}
