// The set of fields an object sets (upstream's TypedValue.ToFieldSet): what an applier owns, and what compare and prune walk.
import type { SchemaNode } from '../../api/schema';
import { FieldSet } from './field-set';
import { fieldPE, serializePE } from './path';
import { atomOf, fieldOf, itemPE } from './schema-view';
import { isMap } from './values';

/** The fields `obj` sets under `schema`: leaves, atomic lists and maps, list items, and undeclared map keys. */
export function fieldSetFromObject(obj: unknown, schema: SchemaNode | undefined): FieldSet {
  return walk(obj, schema).children;
}

// Whether the value's own path is a member, and the paths below it.
function walk(value: unknown, node: SchemaNode | undefined): { member: boolean; children: FieldSet } {
  const children = new FieldSet();
  const atom = atomOf(node, value);
  if (atom.type === 'scalar' || atom.atomic) return { member: true, children };
  if (atom.type === 'list') {
    if (!Array.isArray(value)) return { member: false, children };
    const pes = value.map((item) => itemPE(atom, item));
    const seen = new Map<string, number>();
    for (const pe of pes) {
      const id = serializePE(pe);
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    value.forEach((item, i) => {
      const pe = pes[i];
      children.addMember(pe);
      // Duplicated items (allowed in live objects) are owned only as a whole.
      if (seen.get(serializePE(pe))! > 1) return;
      children.addChild(pe, walk(item, atom.item).children);
    });
    return { member: false, children };
  }
  if (!isMap(value)) return { member: false, children };
  for (const key of Object.keys(value)) {
    const v = value[key];
    const f = fieldOf(atom.node, key);
    const pe = fieldPE(key);
    const r = walk(v, f.node);
    if (r.member || v === null || (isMap(v) && Object.keys(v).length === 0) || !f.declared) children.addMember(pe);
    children.addChild(pe, r.children);
  }
  return { member: false, children };
}
