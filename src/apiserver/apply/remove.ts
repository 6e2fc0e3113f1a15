// Removes a set of fields from an object (upstream's TypedValue.RemoveItems): how apply prunes what its manager stopped applying.
import type { SchemaNode } from '../../api/schema';
import type { FieldSet } from './field-set';
import { fieldPE, type PathElement } from './path';
import { atomOf, fieldOf, itemPE } from './schema-view';
import { isMap, setOwn, type JsonMap } from './values';

/** `value` without the members of `set` (a member removes its whole subtree). */
export function removeItems(value: unknown, set: FieldSet, node: SchemaNode | undefined): unknown {
  return remove(value, set, node) ?? {};
}

// Undefined when nothing is left. Upstream leaves a null there; built-in types drop nulls when decoded, so we drop it now.
function remove(value: unknown, set: FieldSet, node: SchemaNode | undefined): unknown {
  const atom = atomOf(node, value);
  if (atom.type === 'scalar' || atom.atomic) return value;
  if (atom.type === 'list') {
    if (!Array.isArray(value) || !value.length) return undefined;
    const out: unknown[] = [];
    for (const item of value) {
      const pe = itemPE(atom, item);
      if (set.hasMember(pe)) continue;
      const v = under(item, set, pe, atom.item);
      if (v !== undefined) out.push(v);
    }
    return out.length ? out : undefined;
  }
  if (!isMap(value) || !Object.keys(value).length) return undefined;
  const out: JsonMap = {};
  for (const k of Object.keys(value)) {
    const pe = fieldPE(k);
    if (set.hasMember(pe)) continue;
    const v = under(value[k], set, pe, fieldOf(atom.node, k).node);
    if (v !== undefined) setOwn(out, k, v);
  }
  return Object.keys(out).length ? out : undefined;
}

// The child value with the paths below `pe` removed; untouched when there are none.
function under(child: unknown, set: FieldSet, pe: PathElement, node: SchemaNode | undefined): unknown {
  const sub = set.withPrefix(pe);
  return sub.isEmpty() ? child : remove(child, sub, node);
}
