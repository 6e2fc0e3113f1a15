// Which fields a write added, modified or removed (upstream's TypedValue.Compare): the basis of ownership changes and conflicts.
import type { SchemaNode } from '../../api/schema';
import { FieldSet } from './field-set';
import { fieldPE, serializePE, type Path, type PathElement } from './path';
import { atomOf, fieldOf, itemPE, type Atom } from './schema-view';
import { deepEqual, hasOwn, isMap } from './values';

/** Fields set by `rhs` and not `lhs` (added), by both with different values (modified), by `lhs` only (removed). */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * Compares two objects field by field under `node`. Fields that are members of `skip` are not walked at all (a
 * status write need not compare the spec): pass the set that excludeFields will take out afterwards.
 */
export function compareObjects(lhs: unknown, rhs: unknown, node: SchemaNode | undefined, skip?: FieldSet): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compare(lhs, rhs, node, [], c, skip && nonEmpty(skip));
  return c;
}

/** The comparison with `fields` and everything below them left out (upstream's ExcludeFields). */
export function excludeFields(c: Comparison, fields: FieldSet | undefined): Comparison {
  if (!fields || fields.isEmpty()) return c;
  return {
    added: c.added.recursiveDifference(fields),
    modified: c.modified.recursiveDifference(fields),
    removed: c.removed.recursiveDifference(fields),
  };
}

// `undefined` means absent on that side. `skip` is the part of compareObjects' skip set below `path`.
function compare(lhs: unknown, rhs: unknown, node: SchemaNode | undefined, path: Path, c: Comparison, skip?: FieldSet): void {
  const la = lhs === undefined ? undefined : atomOf(node, lhs);
  const ra = rhs === undefined ? undefined : atomOf(node, rhs);
  const leaf = () => {
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
    else if (!deepEqual(lhs, rhs)) c.modified.insert(path);
  };
  let atom: Atom;
  if (!ra) atom = la!;
  else if (!la || la.type === ra.type) atom = ra;
  else return leaf();
  if (atom.type === 'scalar') return leaf();
  if (atom.type === 'list') {
    const l = Array.isArray(lhs) ? lhs : undefined;
    const r = Array.isArray(rhs) ? rhs : undefined;
    if (atom.atomic || (!l?.length && !r?.length)) return leaf();
    compareLists(l ?? [], r ?? [], (item) => itemPE(atom, item), atom.item, path, c);
  } else {
    const l = isMap(lhs) ? lhs : undefined;
    const r = isMap(rhs) ? rhs : undefined;
    if (atom.atomic || ((!l || !Object.keys(l).length) && (!r || !Object.keys(r).length))) return leaf();
    const keys = new Set([...Object.keys(l ?? {}), ...Object.keys(r ?? {})]);
    for (const k of keys) {
      const pe = fieldPE(k);
      if (skip?.hasMember(pe)) continue;
      compare(l && hasOwn(l, k) ? l[k] : undefined, r && hasOwn(r, k) ? r[k] : undefined, fieldOf(atom.node, k).node, [...path, pe], c, skip && nonEmpty(skip.withPrefix(pe)));
    }
  }
  // A whole granular map or list that appeared or vanished is itself added or removed.
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}

function compareLists(
  lhs: unknown[],
  rhs: unknown[],
  peOf: (item: unknown) => PathElement,
  item: SchemaNode | undefined,
  path: Path,
  c: Comparison,
): void {
  const order: { id: string; pe: PathElement }[] = [];
  const group = (list: unknown[], into: Map<string, unknown[]>, other?: Map<string, unknown[]>) => {
    for (const v of list) {
      const pe = peOf(v);
      const id = serializePE(pe);
      const g = into.get(id);
      if (g) g.push(v);
      else {
        into.set(id, [v]);
        if (!other?.has(id)) order.push({ id, pe });
      }
    }
  };
  const L = new Map<string, unknown[]>();
  const R = new Map<string, unknown[]>();
  group(lhs, L);
  group(rhs, R, L);
  for (const { id, pe } of order) {
    const l = L.get(id) ?? [];
    const r = R.get(id) ?? [];
    const at = [...path, pe];
    if (l.length <= 1 && r.length <= 1) compare(l[0], r[0], item, at, c);
    else if (l.length >= 2 && r.length >= 2) {
      // Duplicates on both sides are compared as one atomic value.
      if (!deepEqual(l, r)) c.modified.insert(at);
    } else if (l.length >= 2) {
      if (r.length) compare(undefined, r[0], item, at, c);
      c.removed.insert(at);
    } else {
      if (l.length) compare(l[0], undefined, item, at, c);
      c.added.insert(at);
    }
  }
}

const nonEmpty = (s: FieldSet): FieldSet | undefined => (s.isEmpty() ? undefined : s);
