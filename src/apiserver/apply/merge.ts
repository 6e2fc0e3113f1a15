// The apply merge (upstream's TypedValue.Merge): the applied config laid over the live object, list items matched by key.
import type { SchemaNode } from '../../api/schema';
import { serializePE } from './path';
import { atomOf, fieldOf, itemPE, type Atom, type ListAtom } from './schema-view';
import { hasOwn, isMap, setOwn, type JsonMap } from './values';

/** `rhs` merged into `lhs`: scalars and atomic values replaced, granular maps merged by key, associative lists by item key. */
export function mergeValues(lhs: unknown, rhs: unknown, node: SchemaNode | undefined): unknown {
  return merge(lhs, rhs, node) ?? {};
}

// `undefined` means absent on that side; the result is undefined when nothing remains.
function merge(lhs: unknown, rhs: unknown, node: SchemaNode | undefined): unknown {
  const la = lhs === undefined ? undefined : atomOf(node, lhs);
  const ra = rhs === undefined ? undefined : atomOf(node, rhs);
  let atom: Atom;
  if (!ra) atom = la!;
  else if (!la || la.type === ra.type) atom = ra;
  else return rhs;
  if (atom.type === 'scalar') return rhs !== undefined ? rhs : lhs;
  if (atom.type === 'list') {
    const l = Array.isArray(lhs) ? lhs : undefined;
    const r = Array.isArray(rhs) ? rhs : undefined;
    // Both empty or null: a leaf, so the empty/null distinction survives.
    if (atom.atomic || (!l?.length && !r?.length)) return rhs !== undefined ? rhs : lhs;
    const out = mergeList(l ?? [], r ?? [], atom);
    return out.length ? out : undefined;
  }
  const l = isMap(lhs) ? lhs : undefined;
  const r = isMap(rhs) ? rhs : undefined;
  if (atom.atomic || (isEmpty(l) && isEmpty(r))) return rhs !== undefined ? rhs : lhs;
  const out: JsonMap = {};
  const keys = new Set([...Object.keys(l ?? {}), ...Object.keys(r ?? {})]);
  for (const k of keys) {
    const v = merge(l && hasOwn(l, k) ? l[k] : undefined, r && hasOwn(r, k) ? r[k] : undefined, fieldOf(atom.node, k).node);
    if (v !== undefined) setOwn(out, k, v);
  }
  return Object.keys(out).length ? out : undefined;
}

function isEmpty(m: JsonMap | undefined): boolean {
  return !m || Object.keys(m).length === 0;
}

interface Indexed {
  ids: string[];
  items: Map<string, unknown>;
}

// Duplicated live items are not merged with the applied one: their shared entry is null.
function index(list: unknown[], atom: ListAtom): Indexed {
  const ids: string[] = [];
  const items = new Map<string, unknown>();
  for (const item of list) {
    const id = serializePE(itemPE(atom, item));
    items.set(id, items.has(id) ? null : item);
    ids.push(id);
  }
  return { ids, items };
}

// Upstream's ordering: applied items keep their relative order, live-only items stay where they were.
function mergeList(lhs: unknown[], rhs: unknown[], atom: ListAtom): unknown[] {
  const out: unknown[] = [];
  const L = index(lhs, atom);
  const R = index(rhs, atom);
  const push = (l: unknown, r: unknown) => {
    const v = merge(l, r, atom.item);
    if (v !== undefined) out.push(v);
  };
  const shared = R.ids.filter((id) => L.items.has(id));
  let si = 0;
  let nextShared: string | undefined = shared[si++];
  const mergedRHS = new Set<string>();
  let lI = 0;
  let rI = 0;
  while (lI < L.ids.length || rI < R.ids.length) {
    if (lI < L.ids.length && rI < R.ids.length) {
      const id = L.ids[lI];
      if (id === R.ids[rI]) {
        mergedRHS.add(id);
        push(L.items.get(id), R.items.get(id));
        lI++;
        rI++;
        nextShared = shared[si++];
        continue;
      }
      // A shared item, but not the one whose turn it is: it is emitted when the applied list reaches it.
      if (R.items.has(id) && nextShared !== undefined && nextShared !== id) {
        lI++;
        continue;
      }
    }
    if (lI < L.ids.length) {
      const id = L.ids[lI];
      if (!R.items.has(id)) {
        push(lhs[lI], undefined);
        lI++;
        continue;
      } else if (mergedRHS.has(id)) {
        lI++;
      }
    }
    if (rI < R.ids.length) {
      const id = R.ids[rI];
      mergedRHS.add(id);
      push(L.items.has(id) ? L.items.get(id) : undefined, R.items.get(id));
      rI++;
      if (nextShared === id) nextShared = shared[si++];
    }
  }
  return out;
}
