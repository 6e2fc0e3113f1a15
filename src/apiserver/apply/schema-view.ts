// How apply reads a SchemaNode: which values are scalars, lists (atomic, set, keyed map) or maps (atomic, granular), as structured-merge-diff's schema.
import type { SchemaNode } from '../../api/schema';
import { sortFields, type PathElement } from './path';
import { hasOwn, isMap } from './values';

/** A list: atomic (replaced whole), a set of scalars (no keys), or a map keyed by `keys`. */
export interface ListAtom {
  type: 'list';
  atomic: boolean;
  keys: string[];
  item: SchemaNode | undefined;
}

/** A struct or a map: atomic (replaced whole) or granular (merged key by key). */
export interface MapAtom {
  type: 'map';
  atomic: boolean;
  node: SchemaNode | undefined;
}

/** The shape a value takes under its schema. */
export type Atom = { type: 'scalar' } | ListAtom | MapAtom;

/** A list item whose key cannot be formed; upstream's typed conversion fails the same way. */
export class TypedError extends Error {}

type Shape = 'scalar' | 'list' | 'map' | 'deduced';

function shapeOf(node: SchemaNode | undefined): Shape {
  if (!node) return 'deduced';
  if (node.type === 'array' || node.items) return 'list';
  if (node.type === 'object' || node.properties || node.additionalProperties) return 'map';
  if (node.type || node.intOrString) return 'scalar';
  return 'deduced';
}

function shapeOfValue(v: unknown): Shape {
  if (Array.isArray(v)) return 'list';
  if (isMap(v)) return 'map';
  return 'scalar';
}

/**
 * The atom of `value` under `node`. Untyped parts (no schema, preserve-unknown-fields) are deduced from the value:
 * maps granular, lists atomic. A value that does not fit its schema is treated as untyped rather than refused.
 */
export function atomOf(node: SchemaNode | undefined, value: unknown): Atom {
  const shape = shapeOf(node);
  const valueShape = value === null || value === undefined ? shape : shapeOfValue(value);
  if (shape === 'deduced' || valueShape !== shape) {
    if (valueShape === 'list') return DEDUCED_LIST;
    if (valueShape === 'map') return DEDUCED_MAP;
    return SCALAR;
  }
  return typedAtom(node!, shape);
}

const SCALAR: Atom = { type: 'scalar' };
const DEDUCED_LIST: Atom = { type: 'list', atomic: true, keys: [], item: undefined };
const DEDUCED_MAP: Atom = { type: 'map', atomic: false, node: undefined };

// One atom per schema node, so walks allocate nothing per value and keyed lists keep one `keys` array.
const atoms = new WeakMap<SchemaNode, Atom>();

function typedAtom(node: SchemaNode, shape: Shape): Atom {
  let atom = atoms.get(node);
  if (!atom) {
    if (shape === 'list') atom = { type: 'list', ...listRelation(node), item: node.items };
    else if (shape === 'map') atom = { type: 'map', atomic: node.mapType === 'atomic', node };
    else atom = SCALAR;
    atoms.set(node, atom);
  }
  return atom;
}

// As kube-openapi's schemaconv: list-type wins; else a "merge" patch strategy makes an associative list keyed by the
// patch merge key (a set without one); "retainKeys" alone and no hint at all are atomic. A merge key without a recorded
// strategy is taken as keyed, since the schema generator may record only the key.
function listRelation(node: SchemaNode): { atomic: boolean; keys: string[] } {
  const mergeKey = node.patchMergeKey ? [node.patchMergeKey] : [];
  switch (node.listType) {
    case 'atomic':
      return { atomic: true, keys: [] };
    case 'set':
      return { atomic: false, keys: [] };
    case 'map':
      return { atomic: false, keys: node.listMapKeys?.length ? node.listMapKeys : mergeKey };
  }
  if (node.patchStrategy !== undefined) {
    const merge = node.patchStrategy.split(',').includes('merge');
    return merge ? { atomic: false, keys: mergeKey } : { atomic: true, keys: [] };
  }
  return mergeKey.length ? { atomic: false, keys: mergeKey } : { atomic: true, keys: [] };
}

/** The schema of one field or map key, and whether it is a declared struct field (upstream's FindField). */
export function fieldOf(node: SchemaNode | undefined, name: string): { node: SchemaNode | undefined; declared: boolean } {
  if (node?.properties && hasOwn(node.properties, name)) return { node: node.properties[name], declared: true };
  const extra = node?.additionalProperties;
  return { node: extra && extra !== true ? extra : undefined, declared: false };
}

// Every walk (validate, merge, compare, field sets, prune) asks for the same items' elements; each hit is checked
// against the item's current key values, so an item changed since is never served a stale element.
const keyedPEs = new WeakMap<object, { keys: string[]; values: unknown[]; pe: PathElement }>();

/** The path element of a list item: `k:` from its key fields (defaults filled in) or `v:` for a set member. */
export function itemPE(atom: ListAtom, item: unknown): PathElement {
  if (!atom.keys.length || !isMap(item)) return computeItemPE(atom, item);
  const hit = keyedPEs.get(item);
  if (hit && hit.keys === atom.keys && hit.values.every((v, i) => item[atom.keys[i]] === v)) return hit.pe;
  const pe = computeItemPE(atom, item);
  keyedPEs.set(item, { keys: atom.keys, values: atom.keys.map((k) => item[k]), pe });
  return pe;
}

function computeItemPE(atom: ListAtom, item: unknown): PathElement {
  if (atom.keys.length) {
    if (item === null) throw new TypedError('associative list with keys may not have a null element');
    if (!isMap(item)) throw new TypedError('associative list with keys may not have non-map elements');
    const fields: [string, unknown][] = [];
    for (const k of atom.keys) {
      if (hasOwn(item, k)) fields.push([k, item[k]]);
      else {
        const def = keyDefault(atom.item, k);
        if (def !== undefined) fields.push([k, def]);
      }
    }
    if (!fields.length) {
      throw new TypedError(
        `associative list with keys has an element that omits all key fields ${JSON.stringify(atom.keys)} (and doesn't have default values for any key fields)`,
      );
    }
    return { key: sortFields(fields) };
  }
  if (isMap(item)) throw new TypedError("associative list without keys has an element that's a map type");
  if (Array.isArray(item)) throw new TypedError('not supported: associative list with lists as elements');
  if (item === null) throw new TypedError("associative list without keys has an element that's an explicit null");
  return { value: item };
}

// Upstream reads key defaults from the OpenAPI `default`. SchemaNode may not carry one yet; every built-in list keyed by
// `protocol` (container and service ports) defaults it to TCP, and without it `ports` items would not match their live twins.
function keyDefault(item: SchemaNode | undefined, key: string): unknown {
  const prop = item?.properties && hasOwn(item.properties, key) ? (item.properties[key] as SchemaNode & { default?: unknown }) : undefined;
  if (prop?.default !== undefined) return prop.default;
  return key === 'protocol' ? 'TCP' : undefined;
}
