// Reads current objects for admission plugins straight from the watch cache (as upstream plugins read their informers).
import type { KObject } from '../../api/types';
import { listPrefix, resourcePrefix, ResourceTable } from '../resource-table';
import type { WatchCache } from '../watch-cache';

/** The stored objects of one group/resource in `namespace` ("" for all namespaces or cluster-scoped ones); read-only. */
export type ObjectLister = (group: string, resource: string, namespace: string) => KObject[];

/** A lister over the watch cache. */
export function cacheLister(table: ResourceTable, cache: WatchCache): ObjectLister {
  return (group, resource, namespace) => {
    const r = table.all.find((x) => x.group === group && x.resource === resource && !x.storage);
    if (!r) return [];
    const prefix = listPrefix(r, namespace);
    const out: KObject[] = [];
    for (const [key, c] of cache.cacheFor(resourcePrefix(r)).objects) if (key.startsWith(prefix)) out.push(c.obj);
    return out;
  };
}
