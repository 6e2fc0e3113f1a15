// Lookups on shared informers: indexes by namespace and by controller (or as orphans of a namespace), owners by controller ref or selector.
import type { KObject } from '../../api/types';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { Informer } from '../../client/informer';
import { labelSelectorFromObject, matchesLabels } from '../../machinery/labels';
import type { ControllerKind } from './controller-ref';
import { getControllerOf } from './controller-ref';

/** Index of objects by namespace; every controller sharing an informer uses the same one. */
export const NAMESPACE_INDEX = 'namespace';
/** Index of objects by the UID of their controller, or "orphan/<namespace>" without one. */
export const CONTROLLER_INDEX = 'controller';

const indexed = new WeakMap<Informer<KObject>, Set<string>>();

function ensureIndex<T extends KObject>(inf: Informer<T>, name: string, fn: (o: T) => string[]): Informer<T> {
  const key = inf as unknown as Informer<KObject>;
  const names = indexed.get(key) ?? new Set<string>();
  indexed.set(key, names);
  if (!names.has(name)) {
    names.add(name);
    inf.addIndex(name, fn);
  }
  return inf;
}

/** Adds the namespace index to `inf` once, however many controllers ask. */
export function indexByNamespace<T extends KObject>(inf: Informer<T>): Informer<T> {
  return ensureIndex(inf, NAMESPACE_INDEX, (o) => [o.metadata.namespace ?? '']);
}

/** Adds the controller index to `inf` once. */
export function indexByController<T extends KObject>(inf: Informer<T>): Informer<T> {
  return ensureIndex(inf, CONTROLLER_INDEX, (o) => [getControllerOf(o)?.uid ?? `orphan/${o.metadata.namespace ?? ''}`]);
}

/** Cached objects of one namespace (namespace index). */
export function listInNamespace<T extends KObject>(inf: Informer<T>, namespace: string): T[] {
  return inf.byIndex(NAMESPACE_INDEX, namespace);
}

/** Cached objects whose controller has this UID (controller index). */
export function listControlledBy<T extends KObject>(inf: Informer<T>, uid: string): T[] {
  return inf.byIndex(CONTROLLER_INDEX, uid);
}

/** Cached objects of one namespace without a controller (controller index). */
export function listOrphans<T extends KObject>(inf: Informer<T>, namespace: string): T[] {
  return inf.byIndex(CONTROLLER_INDEX, `orphan/${namespace}`);
}

/** upstream resolveControllerRef: the cached object of `kind` a controller ref in `namespace` points at, when it is the same object (UID). */
export function resolveControllerRef<T extends KObject>(inf: Informer<T>, kind: ControllerKind, namespace: string, ref: { kind: string; name: string; uid: string } | undefined): T | undefined {
  if (!ref || ref.kind !== kind.kind) return undefined;
  const obj = inf.get(`${namespace}/${ref.name}`);
  return obj?.metadata.uid === ref.uid ? obj : undefined;
}

/** Cached owners in `obj`'s namespace whose non-empty selector matches its labels: those that may adopt it as an orphan. */
export function ownersSelecting<T extends KObject & { spec: { selector?: LabelSelector } }>(inf: Informer<T>, obj: KObject): T[] {
  return listInNamespace(inf, obj.metadata.namespace ?? '').filter((o) => {
    const sel = labelSelectorFromObject(o.spec.selector);
    return sel.length > 0 && matchesLabels(sel, obj.metadata.labels);
  });
}
