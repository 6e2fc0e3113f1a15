// The scale subresource: an autoscaling/v1 Scale view of any kind with a replica count.
import type { KObject, ResourceInfo } from '../../api/types';
import { badRequest, field, invalid } from '../../machinery/errors';
import { formatSelector, labelSelectorFromObject } from '../../machinery/labels';
import type { ObjectCodec } from './context';

function at(obj: KObject, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** The Scale of an object, as GET …/scale answers. */
export function getScale(r: ResourceInfo, obj: KObject): KObject {
  const s = r.scale!;
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: (at(obj, s.specReplicasPath) as number | undefined) ?? 0 },
    status: {
      replicas: (at(obj, s.statusReplicasPath) as number | undefined) ?? 0,
      selector: formatSelector(labelSelectorFromObject(obj.spec?.selector)),
    },
  };
}

/** Turns a Scale write (a new Scale, or a patch of the current one) into a change of the object's replicas. */
export function scaleMutation(
  r: ResourceInfo,
  change: { scale: unknown } | { contentType: string; patch: unknown; codec: ObjectCodec },
): (current: KObject) => KObject {
  return (current) => {
    let scale: KObject;
    if ('scale' in change) scale = change.scale as KObject;
    else scale = change.codec.patch('io.k8s.api.autoscaling.v1.Scale', change.contentType, getScale(r, current), change.patch);
    if (!scale || typeof scale !== 'object') throw badRequest('the body of the request must be a Scale object');
    const replicas = scale.spec?.replicas;
    const name = current.metadata.name ?? '';
    if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
      throw invalid('Scale', 'autoscaling', name, [field.invalid('spec.replicas', replicas ?? null, 'must be an integer')]);
    }
    if (replicas < 0) throw invalid('Scale', 'autoscaling', name, [field.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
    const obj = structuredClone(current);
    const rv = scale.metadata?.resourceVersion;
    // A Scale carrying a resourceVersion is a precondition on the object, as upstream; a patch that leaves the
    // current one in place sets none, so a concurrent write makes it retry rather than fail.
    const precondition = 'scale' in change ? rv : rv !== current.metadata.resourceVersion ? rv : undefined;
    if (precondition) obj.metadata.resourceVersion = precondition;
    else delete obj.metadata.resourceVersion;
    const path = r.scale!.specReplicasPath.split('.');
    let o: Record<string, unknown> = obj;
    for (const k of path.slice(0, -1)) o = (o[k] = (o[k] as Record<string, unknown>) ?? {}) as Record<string, unknown>;
    o[path[path.length - 1]] = replicas;
    return obj;
  };
}
