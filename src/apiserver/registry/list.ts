// Lists: from the watch cache when no page is asked for, from the store at one revision when paging (or for kinds not cached).
import type { KObject, ResourceInfo } from '../../api/types';
import { badRequest, gone, StatusError } from '../../machinery/errors';
import type { FieldRequirement } from '../../machinery/fields';
import { checkSelectable, matchesFields } from '../../machinery/fields';
import type { Selector } from '../../machinery/labels';
import { matchesLabels } from '../../machinery/labels';
import type { Store } from '../../store/types';
import { StoreError } from '../../store/types';
import { listPrefix, resourcePrefix } from '../resource-table';
import type { CachedObject, WatchCache } from '../watch-cache';
import { toCached } from '../watch-cache';

/** What a list or watch selects. */
export interface Selection {
  namespace: string;
  labels: Selector;
  fields: FieldRequirement[];
}

/** A list request's paging and consistency options. */
export interface ListQuery extends Selection {
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: CachedObject[];
  rv: number;
  continueToken?: string;
  remainingItemCount?: number;
}

/** The fields a field selector can name for this kind (metadata.name/namespace always). */
export function selectableFieldsOf(r: ResourceInfo, obj: KObject): Record<string, string> {
  const f: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (r.namespaced) f['metadata.namespace'] = obj.metadata.namespace ?? '';
  return { ...f, ...r.strategy.selectableFields?.(obj) };
}

/** Refuses field selectors on fields the kind does not support, as upstream (400). */
export function checkFieldSelector(r: ResourceInfo, fields: FieldRequirement[]): void {
  if (fields.length) checkSelectable(fields, new Set(Object.keys(selectableFieldsOf(r, { metadata: {} }))));
}

/** True when the object is in the selection. */
export function selects(r: ResourceInfo, sel: Selection, obj: KObject): boolean {
  if (sel.namespace && r.namespaced && obj.metadata.namespace !== sel.namespace) return false;
  if (sel.labels.length && !matchesLabels(sel.labels, obj.metadata.labels)) return false;
  if (sel.fields.length && !matchesFields(sel.fields, selectableFieldsOf(r, obj))) return false;
  return true;
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (typeof t.rv === 'number' && typeof t.start === 'string') return { rv: t.rv, start: t.start };
  } catch {
    // fall through to the error below
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

function parseRV(s: string): number {
  if (!/^\d+$/.test(s)) throw badRequest(`invalid resource version "${s}"`);
  return Number(s);
}

/** Serves a list, choosing the cache or the store as upstream's semantics allow. */
export async function listObjects(r: ResourceInfo, q: ListQuery, store: Store, cache: WatchCache): Promise<ListResult> {
  checkFieldSelector(r, q.fields);
  const rvParam = q.resourceVersion ?? '';
  const paging = (q.limit ?? 0) > 0 || !!q.continueToken;
  // A resource the cache does not hold is read from the store, at the current revision unless one is asked for exactly.
  if (!cache.cacheFor(resourcePrefix(r)).held) return listFromStore(r, q, store, q.resourceVersionMatch === 'Exact' && rvParam ? parseRV(rvParam) : 0);
  // resourceVersion=0 means "any": served from the cache, where the limit is ignored as upstream does.
  if (rvParam === '0' && !q.continueToken) return listFromCache(r, q, cache);
  if (!paging && q.resourceVersionMatch !== 'Exact') {
    const want = rvParam ? parseRV(rvParam) : await store.currentRevision();
    try {
      await cache.waitFor(want);
    } catch {
      throw new StatusError(504, 'Timeout', `Too large resource version: ${want}, current: ${cache.revision}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      });
    }
    return listFromCache(r, q, cache);
  }
  return listFromStore(r, q, store, rvParam ? parseRV(rvParam) : 0);
}

function listFromCache(r: ResourceInfo, q: ListQuery, cache: WatchCache): ListResult {
  const rc = cache.cacheFor(resourcePrefix(r));
  const prefix = listPrefix(r, q.namespace);
  const items: CachedObject[] = [];
  for (const k of rc.keys()) {
    if (!k.startsWith(prefix)) continue;
    const o = rc.objects.get(k)!;
    if (selects(r, q, o.obj)) items.push(o);
  }
  return { items, rv: cache.revision };
}

async function listFromStore(r: ResourceInfo, q: ListQuery, store: Store, exactRV: number): Promise<ListResult> {
  const prefix = listPrefix(r, q.namespace);
  let startAfter: string | undefined;
  let revision = exactRV;
  if (q.continueToken) {
    const t = decodeContinue(q.continueToken);
    startAfter = t.start;
    revision = t.rv;
  }
  const limit = q.limit && q.limit > 0 ? q.limit : 0;
  const filtering = q.labels.length > 0 || q.fields.length > 0;
  const items: CachedObject[] = [];
  let remaining = 0;
  let lastKey: string | undefined;
  try {
    for (;;) {
      // When filtering, read ahead in bigger pages: most keys may not match.
      const want = limit ? (filtering ? Math.max(limit, 500) : limit - items.length) : 0;
      const page = await store.list(prefix, { limit: want, startAfter, revision });
      if (!revision) revision = page.revision;
      let i = 0;
      for (; i < page.items.length && !(limit && items.length >= limit); i++) {
        const o = toCached(page.items[i]);
        lastKey = o.key;
        if (selects(r, q, o.obj)) items.push(o);
      }
      remaining = page.remaining + (page.items.length - i);
      if (!limit || items.length >= limit || remaining === 0) break;
      startAfter = lastKey;
    }
  } catch (e) {
    if (e instanceof StoreError && e.code === 'Compacted') {
      throw gone(
        q.continueToken
          ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'
          : `too old resource version: ${revision}`,
      );
    }
    throw e;
  }
  const res: ListResult = { items, rv: revision };
  if (limit && remaining > 0 && lastKey) {
    res.continueToken = encodeContinue({ rv: revision, start: lastKey });
    if (!filtering) res.remainingItemCount = remaining;
  }
  return res;
}
