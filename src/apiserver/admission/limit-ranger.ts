// LimitRanger admission: container defaults from a namespace's LimitRanges, then min/max/ratio checks with upstream's messages.
import type { Container, LimitRangeItem, PodSpec } from 'kubernetes-types/core/v1';
import { podResources } from '../../api/quota/evaluators';
import { ResourceList, toResourceList } from '../../api/quota/resource-list';
import { podQOSClass } from '../../api/strategies/pod-qos';
import { validateResourceRequirements } from '../../api/strategies/resources';
import type { KObject } from '../../api/types';
import { forbidden, invalid } from '../../machinery/errors';
import type { ObjectLister } from './object-lister';
import type { AdmissionPlugin } from './types';

/** The annotation naming what the plugin filled in. */
export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

type Requirements = { requests?: Record<string, string>; limits?: Record<string, string> };

/** upstream defaultContainerResourceRequirements: defaultRequest and default of the Container items. */
export function containerDefaults(lr: KObject): { requests: Record<string, string>; limits: Record<string, string> } {
  const out = { requests: {} as Record<string, string>, limits: {} as Record<string, string> };
  for (const item of (lr.spec?.limits ?? []) as LimitRangeItem[]) {
    if (item.type !== 'Container') continue;
    Object.assign(out.requests, item.defaultRequest ?? {});
    Object.assign(out.limits, item.default ?? {});
  }
  return out;
}

function mergeContainer(c: Container, defaults: ReturnType<typeof containerDefaults>, word: string, notes: string[]): void {
  const res = ((c as { resources?: Requirements }).resources ??= {});
  const set = (list: 'requests' | 'limits') => {
    const target = (res[list] ??= {});
    const added = Object.keys(defaults[list]).filter((k) => !(k in target));
    for (const k of added) target[k] = defaults[list][k];
    return added.sort();
  };
  const limits = set('limits');
  const requests = set('requests');
  if (requests.length) notes.push(`${requests.join(', ')} request for ${word} ${c.name}`);
  if (limits.length) notes.push(`${limits.join(', ')} limit for ${word} ${c.name}`);
  if (!Object.keys(res.requests!).length) delete res.requests;
  if (!Object.keys(res.limits!).length) delete res.limits;
}

/** upstream mergePodResourceRequirements: fills missing requests/limits and records them in the annotation. */
export function applyContainerDefaults(pod: KObject, defaults: ReturnType<typeof containerDefaults>): void {
  const notes: string[] = [];
  const spec = pod.spec as PodSpec;
  for (const c of spec.containers ?? []) mergeContainer(c, defaults, 'container', notes);
  for (const c of spec.initContainers ?? []) mergeContainer(c, defaults, 'init container', notes);
  if (notes.length) (pod.metadata.annotations ??= {})[LIMIT_RANGER_ANNOTATION] = `LimitRanger plugin set: ${notes.join('; ')}`;
}

// Quantities compare at milli precision, as upstream's requestLimitEnforcedValues.
const milli = (l: ResourceList, k: string) => l.get(k)?.milliValue();

function minConstraint(type: string, name: string, enforced: string, req: ResourceList, lim: ResourceList): string | undefined {
  const e = toResourceList({ v: enforced }).get('v')!;
  const r = milli(req, name);
  const l = milli(lim, name);
  if (r === undefined) return `minimum ${name} usage per ${type} is ${e}.  No request is specified`;
  if (r < e.milliValue()) return `minimum ${name} usage per ${type} is ${e}, but request is ${req.get(name)}`;
  if (l !== undefined && l < e.milliValue()) return `minimum ${name} usage per ${type} is ${e}, but limit is ${lim.get(name)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: string, req: ResourceList, lim: ResourceList): string | undefined {
  const e = toResourceList({ v: enforced }).get('v')!;
  const r = milli(req, name);
  const l = milli(lim, name);
  if (l === undefined) return `maximum ${name} usage per ${type} is ${e}.  No limit is specified`;
  if (l > e.milliValue()) return `maximum ${name} usage per ${type} is ${e}, but limit is ${lim.get(name)}`;
  if (r !== undefined && r > e.milliValue()) return `maximum ${name} usage per ${type} is ${e}, but request is ${req.get(name)}`;
  return undefined;
}

function maxRequestConstraint(type: string, name: string, enforced: string, req: ResourceList): string | undefined {
  const e = toResourceList({ v: enforced }).get('v')!;
  const r = milli(req, name);
  if (r === undefined) return `maximum ${name} usage per ${type} is ${e}.  No request is specified`;
  if (r > e.milliValue()) return `maximum ${name} usage per ${type} is ${e}, but request is ${req.get(name)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: string, req: ResourceList, lim: ResourceList): string | undefined {
  const e = toResourceList({ v: enforced }).get('v')!;
  const r = milli(req, name);
  const l = milli(lim, name);
  if (!r) return `${name} max limit to request ratio per ${type} is ${e}, but no request is specified or request is 0`;
  if (!l) return `${name} max limit to request ratio per ${type} is ${e}, but no limit is specified or limit is 0`;
  const observed = Number(l) / Number(r);
  if (observed * 1000 > Number(e.milliValue())) return `${name} max limit to request ratio per ${type} is ${e}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

function checkItem(item: LimitRangeItem, req: ResourceList, lim: ResourceList, errs: string[]): void {
  const push = (e: string | undefined) => e && errs.push(e);
  for (const [k, v] of Object.entries(item.min ?? {})) push(minConstraint(item.type, k, v as string, req, lim));
  for (const [k, v] of Object.entries(item.max ?? {})) push(maxConstraint(item.type, k, v as string, req, lim));
  for (const [k, v] of Object.entries(item.maxLimitRequestRatio ?? {})) push(ratioConstraint(item.type, k, v as string, req, lim));
}

/** upstream PodValidateLimitFunc: every violation of one LimitRange, in order. */
export function podLimitViolations(lr: KObject, pod: KObject): string[] {
  const errs: string[] = [];
  const spec = pod.spec as PodSpec;
  for (const item of (lr.spec?.limits ?? []) as LimitRangeItem[]) {
    if (item.type === 'Container') {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        const res = (c as { resources?: Requirements }).resources;
        checkItem(item, toResourceList(res?.requests), toResourceList(res?.limits), errs);
      }
    } else if (item.type === 'Pod') {
      const noOverhead = { ...spec, overhead: undefined };
      checkItem(item, podResources(noOverhead, 'requests'), podResources(noOverhead, 'limits'), errs);
    }
  }
  return errs;
}

/** upstream PersistentVolumeClaimValidateLimitFunc: storage requests within min and max. */
export function pvcLimitViolations(lr: KObject, pvc: KObject): string[] {
  const errs: string[] = [];
  const req = toResourceList(pvc.spec?.resources?.requests);
  for (const item of (lr.spec?.limits ?? []) as LimitRangeItem[]) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of Object.entries(item.min ?? {})) {
      const e = minConstraint(item.type, k, v as string, req, new Map());
      if (e) errs.push(e);
    }
    for (const [k, v] of Object.entries(item.max ?? {})) {
      const e = maxRequestConstraint(item.type, k, v as string, req);
      if (e) errs.push(e);
    }
  }
  return errs;
}

/** utilerrors.NewAggregate's message: one error as is, several in brackets. */
const aggregate = (errs: string[]) => (errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);

/** Builds the plugin over a lister of LimitRanges. */
export function limitRanger(list: ObjectLister): AdmissionPlugin {
  return {
    name: 'LimitRanger',
    admit(a) {
      if (a.subresource || a.resource.group !== '' || a.operation === 'DELETE') return;
      const isPod = a.resource.resource === 'pods';
      // Pod containers are immutable, so only creates are checked, as upstream.
      if (!(isPod && a.operation === 'CREATE') && a.resource.resource !== 'persistentvolumeclaims') return;
      const ranges = list('', 'limitranges', a.namespace);
      if (!ranges.length) return;
      const obj = a.object!;
      const gr = { group: '', resource: a.resource.resource };
      if (!isPod) {
        for (const lr of ranges) {
          const errs = pvcLimitViolations(lr, obj);
          if (errs.length) throw forbidden(gr, a.name, aggregate(errs));
        }
        return;
      }
      for (const lr of ranges) applyContainerDefaults(obj, containerDefaults(lr));
      for (const lr of ranges) {
        const errs = podLimitViolations(lr, obj);
        if (errs.length) throw forbidden(gr, a.name, aggregate(errs));
      }
      // The pod was validated and classified before admission; defaults may change both.
      const spec = obj.spec as PodSpec;
      const fieldErrs = [
        ...(spec.containers ?? []).flatMap((c, i) => validateResourceRequirements(c.resources as Requirements, `spec.containers[${i}].resources`)),
        ...(spec.initContainers ?? []).flatMap((c, i) => validateResourceRequirements(c.resources as Requirements, `spec.initContainers[${i}].resources`)),
      ];
      if (fieldErrs.length) throw invalid('Pod', '', a.name, fieldErrs);
      if (obj.status) obj.status.qosClass = podQOSClass(spec);
    },
  };
}
