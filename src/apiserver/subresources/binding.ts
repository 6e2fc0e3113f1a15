// pods/binding: assigns a pending pod to a node (spec.nodeName, PodScheduled=True), the scheduler's bind step, as upstream's BindingREST.
import type { PodCondition } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import { badRequest, conflict, field, FieldError, invalid, notFound, StatusError } from '../../machinery/errors';
import { StoreError } from '../../store/types';
import { rfc3339 } from '../../util/clock';
import type { SubresourceHandler } from '../handlers/context';
import { serializeForStore } from '../registry/meta';
import { objectKey } from '../resource-table';

const MAX_RETRIES = 16;
const PODS = { group: '', resource: 'pods' };
const PODS_BINDING = { group: '', resource: 'pods/binding' };

/** upstream ValidatePodBinding: the target is a Node (kind empty or "Node") with a name. */
export function validateBinding(binding: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const kind = binding.target?.kind ?? '';
  if (kind && kind !== 'Node') errs.push(field.notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!binding.target?.name) errs.push(field.required('target.name'));
  return errs;
}

/** Sets PodScheduled=True as upstream's UpdatePodCondition: the transition time is kept when the status does not change. */
export function setPodScheduled(conditions: PodCondition[] | undefined, now: number): PodCondition[] {
  const out = [...(conditions ?? [])];
  const i = out.findIndex((c) => c.type === 'PodScheduled');
  const old = i >= 0 ? out[i] : undefined;
  const cond: PodCondition = {
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null as unknown as string,
    lastTransitionTime: old?.status === 'True' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now),
  };
  if (i >= 0) out[i] = cond;
  else out.push(cond);
  return out;
}

/**
 * Why `pod` cannot be bound to `node` (undefined: it can), given the binding's preconditions.
 * Precondition failures are conflicts on pods; the rest are conflicts on pods/binding, as upstream words them.
 */
export function bindingRejection(pod: KObject, binding: KObject): StatusError | undefined {
  const name = pod.metadata.name!;
  const uid = binding.metadata?.uid;
  if (uid && uid !== pod.metadata.uid) {
    return conflict(PODS, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid}`);
  }
  const rv = binding.metadata?.resourceVersion;
  if (rv && rv !== pod.metadata.resourceVersion) {
    return conflict(PODS, name, `Precondition failed: ResourceVersion in precondition: ${rv}, ResourceVersion in object meta: ${pod.metadata.resourceVersion}`);
  }
  if (pod.metadata.deletionTimestamp) return conflict(PODS_BINDING, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  if (pod.spec?.nodeName) return conflict(PODS_BINDING, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  if (pod.spec?.schedulingGates?.length) return conflict(PODS_BINDING, name, `pod ${name} has non-empty .spec.schedulingGates`);
  return undefined;
}

/**
 * The pods/binding handler. Like upstream it writes through the store directly (a guaranteed update), not through the
 * pod strategy: binding is the one sanctioned way to set the otherwise immutable spec.nodeName, and it also sets a
 * status condition, which an ordinary update would drop.
 */
export const bindingHandler: SubresourceHandler = {
  async create(target, body, wc, ctx) {
    if (body.kind && body.kind !== 'Binding') throw badRequest(`not a Binding object: ${body.kind}`);
    const name = target.name;
    if ((body.metadata?.name ?? '') !== name) throw badRequest('name in URL does not match name in Binding object');
    if (body.metadata?.namespace && body.metadata.namespace !== target.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const errs = validateBinding(body);
    if (errs.length) throw invalid('Binding', '', name, errs);
    const r = ctx.table.storageOf(target.resource);
    const key = objectKey(r, target.namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await ctx.store.get(key);
      if (!kv) throw notFound(PODS, name);
      const pod = JSON.parse(kv.value) as KObject;
      pod.metadata.resourceVersion = String(kv.modRevision);
      const rejection = bindingRejection(pod, body);
      if (rejection) throw rejection;
      pod.spec.nodeName = body.target.name;
      if (body.metadata?.annotations) pod.metadata.annotations = { ...pod.metadata.annotations, ...body.metadata.annotations };
      pod.status = { ...pod.status, conditions: setPodScheduled(pod.status?.conditions, ctx.clock.now()) };
      if (wc.dryRun) break;
      try {
        await ctx.store.update(key, serializeForStore(pod), kv.modRevision);
        break;
      } catch (e) {
        if (e instanceof StoreError && e.code === 'Conflict' && attempt < MAX_RETRIES) continue;
        if (e instanceof StoreError && e.code === 'NotFound') throw notFound(PODS, name);
        throw e;
      }
    }
    return { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
  },
};
