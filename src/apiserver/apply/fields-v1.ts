// The FieldsV1 wire format of managedFields entries: `{"f:spec":{"f:replicas":{}}}`, with "." marking a member that also has children.
import { FieldSet } from './field-set';
import { comparePE, parsePE, serializePE, type PathElement } from './path';
import { isMap, setOwn } from './values';

/** A FieldsV1 trie as JSON. */
export type FieldsV1 = { [key: string]: FieldsV1 };

/** Parses FieldsV1; unknown element types are dropped as upstream does, malformed input throws. */
export function fieldsV1ToSet(fields: unknown): FieldSet {
  const set = new FieldSet();
  read(fields, set);
  return set;
}

// Reads one node's entries into `into`; returns whether the node is itself a member of its parent.
function read(node: unknown, into: FieldSet): boolean {
  if (!isMap(node)) throw new Error(`FieldsV1: expected an object, got ${JSON.stringify(node)}`);
  let isMember = false;
  let hasChildren = false;
  for (const key of Object.keys(node)) {
    if (key === '.') {
      isMember = true;
      continue;
    }
    const pe = parsePE(key);
    if (!pe) continue;
    const sub = new FieldSet();
    if (read(node[key], sub)) into.addMember(pe);
    into.addChild(pe, sub);
    hasChildren = true;
  }
  // A leaf (`{}`) is a member by definition.
  return isMember || !hasChildren;
}

/** Serializes a set as FieldsV1, keys in upstream's order so equal sets give identical JSON. */
export function setToFieldsV1(set: FieldSet): FieldsV1 {
  return emit(set, false);
}

function emit(set: FieldSet, includeSelf: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  if (includeSelf) out['.'] = {};
  const entries = new Map<string, { pe: PathElement; member: boolean; child?: FieldSet }>();
  for (const pe of set.memberElements()) entries.set(serializePE(pe), { pe, member: true });
  for (const c of set.childNodes()) {
    const id = serializePE(c.pe);
    entries.set(id, { pe: c.pe, member: entries.has(id), child: c.set });
  }
  const sorted = [...entries].sort(([, a], [, b]) => comparePE(a.pe, b.pe));
  for (const [id, e] of sorted) setOwn(out, id, e.child ? emit(e.child, e.member) : {});
  return out;
}
