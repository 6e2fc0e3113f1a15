// Upstream's EnsureNamedFieldsAreMembers: prune must remove a struct field whose owned leaves all went away, not leave `{}` behind.
import type { SchemaNode } from '../../api/schema';
import { FieldSet } from './field-set';
import { fieldOf } from './schema-view';

/** `set` plus, as members, every declared struct field that has members below it. */
export function ensureNamedFieldsAreMembers(set: FieldSet, node: SchemaNode | undefined): FieldSet {
  const out = new FieldSet();
  for (const pe of set.memberElements()) out.addMember(pe);
  for (const c of set.childNodes()) {
    let childNode: SchemaNode | undefined;
    if ('field' in c.pe) {
      const f = fieldOf(node, c.pe.field);
      if (f.declared) out.addMember(c.pe);
      childNode = f.node;
    } else if ('key' in c.pe) {
      childNode = node?.items;
    }
    out.addChild(c.pe, ensureNamedFieldsAreMembers(c.set, childNode));
  }
  return out;
}
