// The order of a list after a strategic merge, as upstream's partition/normalizeElementOrder/mergeSortedSlice.
import { patchFailed, badArgType, noMergeKey } from './errors';
import { hasKey, isObject } from './values';

/**
 * Splits `merged` into the items named in `by` (the patch list or a $setElementOrder list) and the rest,
 * keeping each part's order. Items are matched by merge key, or by value when there is none.
 */
export function partition(merged: unknown[], by: unknown[], mergeKey: string): [named: unknown[], rest: unknown[]] {
  const named: unknown[] = [];
  const rest: unknown[] = [];
  if (!mergeKey) {
    const wanted = new Set(by);
    for (const v of merged) (wanted.has(v) ? named : rest).push(v);
    return [named, rest];
  }
  for (const v of merged) {
    if (!isObject(v)) throw badArgType('map', v);
    if (!hasKey(v, mergeKey)) throw noMergeKey(v, mergeKey);
    const found = by.some((b, i) => {
      if (!isObject(b)) throw patchFailed(`value for key ${i} is not a map`);
      return hasKey(b, mergeKey) && b[mergeKey] === v[mergeKey];
    });
    (found ? named : rest).push(v);
  }
  return [named, rest];
}

/**
 * Orders the named items as `namedOrder` and the others as `serverOrder` (the live list), then interleaves them:
 * a server-only item goes before a named one only when the live list has both and put it first.
 * So with $setElementOrder the manifest's order wins, and items only the server has keep their place near their neighbours.
 */
export function normalizeElementOrder(
  named: unknown[],
  serverOnly: unknown[],
  namedOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  mapItems: boolean,
): unknown[] {
  const key = identity(mapItems ? mergeKey : '');
  const left = sortBy(serverOnly, serverOrder, mergeKey, mapItems);
  const right = sortBy(named, namedOrder, mergeKey, mapItems);
  const server = positions(serverOrder, key);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = server.get(key(left[i]));
      const ri = server.get(key(right[j]));
      out.push(li !== undefined && ri !== undefined && li < ri ? left[i++] : right[j++]);
    }
  }
  return out;
}

/** upstream normalizeSliceOrder: sorts by position in `order`, `$patch: delete` items last. */
function sortBy(items: unknown[], order: unknown[], mergeKey: string, mapItems: boolean): unknown[] {
  let toSort = items;
  let deletions: unknown[] = [];
  if (mapItems) {
    for (const v of [...items, ...order]) {
      if (!isObject(v)) throw badArgType('map', v);
      if (!hasKey(v, mergeKey)) throw noMergeKey(v, mergeKey);
    }
    toSort = items.filter((v) => (v as Record<string, unknown>).$patch !== 'delete');
    deletions = items.filter((v) => (v as Record<string, unknown>).$patch === 'delete');
  }
  const key = identity(mapItems ? mergeKey : '');
  const pos = positions(order, key);
  // Upstream's comparator calls an item not found in `order` "less" than anything; Go's stable sort is an
  // insertion sort up to 20 items, so the same insertion sort reproduces its result for such items too.
  const less = (a: unknown, b: unknown): boolean => {
    const ia = pos.get(key(a));
    const ib = pos.get(key(b));
    return ia !== undefined && ib !== undefined ? ia < ib : true;
  };
  const out = toSort.slice();
  for (let n = 1; n < out.length; n++) {
    for (let m = n; m > 0 && less(out[m], out[m - 1]); m--) [out[m], out[m - 1]] = [out[m - 1], out[m]];
  }
  return [...out, ...deletions];
}

/** What identifies an item: its merge key's value, or the item itself in a list of primitives. */
function identity(mergeKey: string): (item: unknown) => unknown {
  if (!mergeKey) return (item) => item;
  return (item) => (isObject(item) && hasKey(item, mergeKey) ? item[mergeKey] : null);
}

/** First index of each identity in a list. */
function positions(list: unknown[], key: (item: unknown) => unknown): Map<unknown, number> {
  const pos = new Map<unknown, number>();
  list.forEach((item, i) => {
    const k = key(item);
    if (!pos.has(k)) pos.set(k, i);
  });
  return pos;
}
