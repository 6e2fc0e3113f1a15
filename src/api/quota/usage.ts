// Quota usage over a namespace's objects, and the admission check of one write against it (upstream CalculateUsage and CheckRequest).
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import type { KObject } from '../types';
import { evaluatorFor, quotaMatches, resourcesTrackedBy } from './evaluators';
import { add, exceeded, mask, prettyPrint, removeZeros, ResourceList, subtractNonNegative, toResourceList } from './resource-list';
import { parseQuantity } from '../../machinery/quantity';

/** Lists the objects of one group/resource in the quota's namespace. */
export type NamespaceObjects = (group: string, resource: string) => KObject[];

/** status.used of a quota: every hard name, summed over the objects the quota applies to (zero when unused). */
export function calculateUsage(quota: ResourceQuota, objects: NamespaceObjects, now: number): ResourceList {
  const hard = Object.keys(quota.spec?.hard ?? {});
  let used: ResourceList = new Map(hard.map((n) => [n, parseQuantity('0')]));
  for (const gr of resourcesTrackedBy(hard)) {
    const ev = evaluatorFor(gr.group, gr.resource);
    const tracked = hard.filter((n) => ev.tracks(n));
    for (const obj of objects(gr.group, gr.resource)) {
      if (quotaMatches(quota, ev, obj)) used = add(used, mask(ev.usage(obj, now), tracked));
    }
  }
  return used;
}

/** One write as the quota check sees it. */
export interface QuotaRequest {
  group: string;
  resource: string;
  operation: 'CREATE' | 'UPDATE';
  object: KObject;
  oldObject?: KObject;
  now: number;
}

/** Why a write is refused: the text after `<resource> "<name>" is forbidden: `. */
export type QuotaDenial = string;

/**
 * upstream CheckRequest over live usage: the first quota the write would exceed (or whose constraints it breaks)
 * gives the refusal text; `usedOf` returns the quota's current usage without this object.
 */
export function checkQuotas(quotas: ResourceQuota[], req: QuotaRequest, usedOf: (q: ResourceQuota) => ResourceList): QuotaDenial | undefined {
  const ev = evaluatorFor(req.group, req.resource);
  const matching = quotas.filter((q) => quotaMatches(q, ev, req.object));
  for (const q of matching) {
    const tracked = Object.keys(q.spec?.hard ?? {}).filter((n) => ev.tracks(n));
    const why = ev.constraints?.(tracked, req.object);
    if (why) return `failed quota: ${q.metadata?.name}: ${why}`;
  }
  let delta = ev.usage(req.object, req.now);
  if (req.operation === 'UPDATE' && req.oldObject) delta = subtractNonNegative(delta, ev.usage(req.oldObject, req.now));
  for (const q of matching) {
    const hard = toResourceList(q.spec?.hard as Record<string, unknown>);
    const requested = removeZeros(mask(delta, hard.keys()));
    if (!requested.size) continue;
    const used = usedOf(q);
    const over = exceeded(mask(add(used, requested), requested.keys()), hard);
    if (!over.length) continue;
    return `exceeded quota: ${q.metadata?.name}, requested: ${prettyPrint(mask(requested, over))}, used: ${prettyPrint(mask(withZeros(used, over), over))}, limited: ${prettyPrint(mask(hard, over))}`;
  }
  return undefined;
}

function withZeros(list: ResourceList, names: string[]): ResourceList {
  const out: ResourceList = new Map(list);
  for (const n of names) if (!out.has(n)) out.set(n, parseQuantity('0'));
  return out;
}
