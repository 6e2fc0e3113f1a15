// Strategic merge patch driven by the kind's SchemaNode, with the semantics and messages of apimachinery's strategicpatch.
import type { SchemaNode } from '../../api/schema';
import { badRequest } from '../../machinery/errors';
import { badArgType, noMergeKey, patchFailed, patchUnprocessable } from './errors';
import { normalizeElementOrder, partition } from './list-order';
import { type JsonObject, deepCopy, goFormat, goJsonKind, hasKey, isObject, jsonKind, setKey } from './values';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/**
 * Applies a strategic merge patch to a copy of `original`; `patch` is the parsed body, `schema` the kind's root node.
 * Fields without a schema node merge as in a JSON merge patch (maps recurse, lists replace).
 */
export function applyStrategicMergePatch(original: JsonObject, patch: unknown, schema: SchemaNode): JsonObject {
  if (patch === null) return deepCopy(original); // Go unmarshals `null` into a nil map: nothing to merge
  if (!isObject(patch)) throw badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`);
  return mergeMap(deepCopy(original), patch, schema);
}

/** Merges `patch` into `original` (a private copy, changed in place). */
function mergeMap(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): JsonObject {
  if (hasKey(patch, DIRECTIVE)) return mapDirective(patch);
  retainKeys(original, patch);
  const done = mergeOrderedLists(original, patch, schema);
  for (const key of Object.keys(patch)) {
    if (key === RETAIN_KEYS || done.has(key)) continue;
    const isDeleteList = key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    const name = isDeleteList ? fieldOf(key, DELETE_FROM_PRIMITIVE_LIST) : key;
    const value = patch[key];
    if (value === null) {
      delete original[name];
      continue;
    }
    const current = hasKey(original, name) ? original[name] : undefined;
    // A new field, or one whose JSON type changes, takes the patch value; a deletion list never adds anything.
    if (current === undefined || jsonKind(current) !== jsonKind(value)) {
      if (!isDeleteList) setValue(original, name, value);
      continue;
    }
    const node = fieldSchema(schema, name);
    if (isObject(current)) {
      if (strategyOf(node) === 'replace') setValue(original, name, value);
      else setKey(original, name, mergeMap(current, value as JsonObject, node));
    } else if (Array.isArray(current)) {
      setKey(original, name, mergeList(current, value as unknown[], node, isDeleteList).merged);
    } else {
      setKey(original, name, value);
    }
  }
  return original;
}

/** `$patch` in a map: `replace` sets the map to the rest of the patch, `delete` empties it. */
function mapDirective(patch: JsonObject): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return {};
  if (directive !== 'replace') throw patchFailed(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
  const rest: JsonObject = {};
  for (const key of Object.keys(patch)) if (key !== DIRECTIVE) setKey(rest, key, patch[key]);
  return materialize(rest) as JsonObject;
}

/** `$retainKeys`: drops the original's fields not listed; every field the patch sets must be listed. */
function retainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasKey(patch, RETAIN_KEYS)) return;
  const keep = patch[RETAIN_KEYS];
  if (!Array.isArray(keep)) throw badRequest('invalid patch format of retainKeys');
  const kept = new Set(keep);
  for (const key of Object.keys(patch)) {
    if (key === RETAIN_KEYS || patch[key] === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!kept.has(key)) throw badRequest('invalid patch format of retainKeys');
  }
  for (const key of Object.keys(original)) if (!kept.has(key)) delete original[key];
}

/**
 * Handles every `$setElementOrder/<field>`: merges that field's list (if the patch has one) and orders the result
 * by the directive, items only the server has staying near their live neighbours. Returns the patch keys consumed.
 */
function mergeOrderedLists(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): Set<string> {
  const done = new Set<string>();
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    done.add(key);
    const order = patch[key];
    if (!Array.isArray(order)) throw badArgType('list', order);
    const name = fieldOf(key, SET_ELEMENT_ORDER);
    const originalList = hasKey(original, name) ? asList(original[name]) : undefined;
    const patchList = hasKey(patch, name) ? asList(patch[name]) : undefined;
    const node = fieldSchema(schema, name);
    const mergeKey = node?.patchMergeKey ?? '';
    checkOrder(patchList ?? [], order, mergeKey);
    let merged: unknown[];
    let live = originalList ?? [];
    if (originalList && patchList) ({ merged, live } = mergeList(originalList, patchList, node, false));
    else if (patchList) merged = materialize(patchList) as unknown[];
    else if (originalList) merged = originalList;
    else continue;
    const [named, serverOnly] = partition(merged, order, mergeKey);
    const mapItems = elementKind(live, patchList ?? []) === 'object';
    setKey(original, name, normalizeElementOrder(named, serverOnly, order, live, mergeKey, mapItems));
    done.add(name);
  }
  return done;
}

/**
 * Merges a list field by its patch strategy: `merge` lists (and deletion lists) merge, others are replaced.
 * `live` is the live list as upstream's $setElementOrder step goes on to read it: Go deletes and appends inside the
 * live slice's array, so that step orders by the edited array. Replaying those edits keeps our orders identical.
 */
function mergeList(current: unknown[], patch: unknown[], node: SchemaNode | undefined, isDeleteList: boolean): { merged: unknown[]; live: unknown[] } {
  if (strategyOf(node) !== 'merge' && !isDeleteList) return { merged: materialize(patch) as unknown[], live: current };
  if (current.length === 0 && patch.length === 0) return { merged: current, live: current };
  const mergeKey = node?.patchMergeKey ?? '';
  const kind = elementKind(current, patch);
  if (kind !== 'object') {
    if (isDeleteList) return { merged: current.filter((v) => !patch.includes(v)), live: current };
    const merged = [...new Set([...current, ...patch])];
    const [named, serverOnly] = partition(merged, patch, mergeKey);
    return { merged: normalizeElementOrder(named, serverOnly, patch, current, mergeKey, false), live: current };
  }
  if (!mergeKey) throw patchFailed('cannot merge lists without merge key for struct');
  const { kept, rest, deleted, replace } = listDirectives(current, patch as JsonObject[], mergeKey);
  const base = replace ? (materialize(rest) as unknown[]) : kept;
  const items = replace ? [] : rest;
  const merged = mergeItems(base, items, mergeKey, node?.items);
  const [named, serverOnly] = partition(merged, items, mergeKey);
  return {
    merged: normalizeElementOrder(named, serverOnly, items, base, mergeKey, true),
    live: replayEdits(current, deleted, replace ? [] : merged.slice(base.length), mergeKey),
  };
}

/**
 * `$patch` in list items: `delete` removes every item with that merge key, `replace` makes the list
 * the patch's other items. Returns the surviving live items, the patch items left to merge, and what was deleted.
 */
function listDirectives(current: unknown[], patch: JsonObject[], mergeKey: string) {
  const rest: JsonObject[] = [];
  const deleted: unknown[] = [];
  let kept = current;
  let replace = false;
  for (const item of patch) {
    if (!hasKey(item, DIRECTIVE)) {
      rest.push(item);
      continue;
    }
    switch (item[DIRECTIVE]) {
      case 'delete':
        if (!hasKey(item, mergeKey)) throw noMergeKey(item, mergeKey);
        kept = kept.filter((v) => !(isObject(v) && hasKey(v, mergeKey) && v[mergeKey] === item[mergeKey]));
        deleted.push(item[mergeKey]);
        break;
      case 'replace':
        replace = true; // keep scanning: later directives still have to be valid
        break;
      case 'merge':
        throw patchFailed('merging lists cannot yet be specified in the patch');
      default:
        throw patchFailed(`unknown patch type: ${goFormat(item[DIRECTIVE])} in map: ${goFormat(item)}`);
    }
  }
  return { kept, rest, deleted, replace };
}

/**
 * The live list's array after Go's in-place edits: each deletion shifts the tail left (leaving the last slot stale),
 * then appended items overwrite the freed slots; appends past the original length go to a new array and are not seen.
 */
function replayEdits(live: unknown[], deleted: unknown[], appended: unknown[], mergeKey: string): unknown[] {
  const view = live.slice();
  let len = view.length;
  for (const value of deleted) {
    for (let i = 0; i < len; ) {
      const v = view[i];
      if (isObject(v) && hasKey(v, mergeKey) && v[mergeKey] === value) {
        view.copyWithin(i, i + 1, len);
        len--;
      } else i++;
    }
  }
  for (const item of appended) if (len < view.length) view[len++] = item;
  return view;
}

/** Merges each patch item into the item with the same merge key, or appends it. */
function mergeItems(current: unknown[], patch: JsonObject[], mergeKey: string, itemSchema: SchemaNode | undefined): unknown[] {
  const out = current.slice();
  for (const item of patch) {
    if (!hasKey(item, mergeKey)) throw noMergeKey(item, mergeKey);
    const i = out.findIndex((v) => isObject(v) && hasKey(v, mergeKey) && v[mergeKey] === item[mergeKey]);
    if (i >= 0) out[i] = mergeMap(out[i] as JsonObject, item, itemSchema);
    else out.push(materialize(item));
  }
  return out;
}

/** `$setElementOrder` must list the patch's items in the patch's order (deletions aside). */
function checkOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey) {
    for (const v of patchList) if (!isObject(v)) throw badArgType('map', v);
    items = patchList.filter((v) => (v as JsonObject)[DIRECTIVE] !== 'delete');
  }
  const same = (a: unknown, b: unknown): boolean => {
    if (!mergeKey) return a === b;
    if (!isObject(a)) throw badArgType('map', a);
    if (!isObject(b)) throw badArgType('map', b);
    if (!hasKey(a, mergeKey)) throw noMergeKey(a, mergeKey);
    if (!hasKey(b, mergeKey)) throw noMergeKey(b, mergeKey);
    return a[mergeKey] === b[mergeKey];
  };
  let p = 0;
  let s = 0;
  while (p < items.length && s < order.length) {
    if (isObject(items[p]) && hasKey(items[p] as JsonObject, DIRECTIVE)) {
      p++;
      continue;
    }
    if (same(items[p], order[s])) p++;
    s++;
  }
  if (p < items.length) {
    throw patchFailed(`The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`);
  }
}

/** The JSON type shared by every item of the lists; lists of lists are refused (422), mixed types fail. */
function elementKind(...lists: unknown[][]): string {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = jsonKind(v);
      if (kind === undefined) {
        if (k === 'array') throw patchUnprocessable('lists of lists are not supported');
        kind = k;
      } else if (k !== kind) {
        throw patchFailed(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (kind === undefined) throw patchFailed('no elements in any of the given slices');
  return kind;
}

/** The list a directive names: "$setElementOrder/containers" → "containers". */
function fieldOf(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw badRequest(prefix === SET_ELEMENT_ORDER ? 'invalid patch format of setElementOrder list' : 'invalid patch format of primitive list');
  }
  return key.slice(slash + 1);
}

function asList(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw badArgType('list', v);
  return v;
}

/** The schema of a field: a declared property, else the map's value schema; undefined when unknown. */
function fieldSchema(schema: SchemaNode | undefined, name: string): SchemaNode | undefined {
  if (!schema) return undefined;
  if (schema.properties && Object.prototype.hasOwnProperty.call(schema.properties, name)) return schema.properties[name];
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** The field's patch strategy besides retainKeys ("merge", "replace" or ""), as extractRetainKeysPatchStrategy. */
function strategyOf(node: SchemaNode | undefined): string {
  const strategies = node?.patchStrategy ? node.patchStrategy.split(',') : [];
  const others = strategies.filter((s) => s !== 'retainKeys');
  if (strategies.length > 2 || others.length > 1) throw patchFailed(`unexpected patch strategy: ${goFormat(strategies)}`);
  return others[0] ?? '';
}

/** Sets a field to a patch value made fit to store; a value that is itself a directive removes the field. */
function setValue(obj: JsonObject, key: string, value: unknown): void {
  const v = materialize(value);
  if (v === undefined) delete obj[key];
  else setKey(obj, key, v);
}

/**
 * A copy of a patch value as stored when it is set wholesale: maps carrying `$patch` are dropped (upstream
 * removeDirectives), null members and other directive keys too — upstream's typed decode drops those.
 */
function materialize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(materialize).filter((x) => x !== undefined);
  if (!isObject(v)) return v;
  if (hasKey(v, DIRECTIVE)) return undefined;
  const out: JsonObject = {};
  for (const key of Object.keys(v)) {
    if (v[key] === null || key === RETAIN_KEYS || key.startsWith(`${SET_ELEMENT_ORDER}/`) || key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`)) continue;
    const m = materialize(v[key]);
    if (m !== undefined) setKey(out, key, m);
  }
  return out;
}
