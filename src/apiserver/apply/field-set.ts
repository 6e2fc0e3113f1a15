// Sets of field paths as a trie (structured-merge-diff's fieldpath.Set): the unit of ownership in managedFields.
import { comparePE, serializePE, type Path, type PathElement } from './path';

interface Child {
  pe: PathElement;
  set: FieldSet;
}

/**
 * A set of field paths. A path is a member when its last element is in `members` of the node its prefix leads to;
 * `children` only lead deeper. Set operations return fresh sets and never change their operands.
 */
export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, Child>();

  /** A set holding exactly the given paths. */
  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path (parents are not added); for building a set that no one else holds yet. The empty path is ignored, as upstream: no one owns the whole object. */
  insert(path: Path): this {
    if (path.length === 0) return this;
    let node: FieldSet = this;
    for (const pe of path.slice(0, -1)) node = node.child(pe);
    node.addMember(path[path.length - 1]);
    return this;
  }

  /** Marks a path element of this node as a member; for builders. */
  addMember(pe: PathElement): void {
    this.members.set(serializePE(pe), pe);
  }

  // The child node for a path element, created when missing.
  private child(pe: PathElement): FieldSet {
    const id = serializePE(pe);
    let c = this.children.get(id);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.children.set(id, c);
    }
    return c.set;
  }

  /** Adds the paths of `set` below one element (nothing when `set` is empty); for builders. */
  addChild(pe: PathElement, set: FieldSet): void {
    if (set.isEmpty()) return;
    const id = serializePE(pe);
    const mine = this.children.get(id);
    this.children.set(id, { pe, set: mine ? mine.set.union(set) : set });
  }

  /** Whether the path is a member. */
  has(path: Path): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (const pe of path.slice(0, -1)) {
      node = node.children.get(serializePE(pe))?.set;
      if (!node) return false;
    }
    return node.members.has(serializePE(path[path.length - 1]));
  }

  /** Whether this node has the element as a member. */
  hasMember(pe: PathElement): boolean {
    return this.members.has(serializePE(pe));
  }

  /** True when no path is a member. */
  isEmpty(): boolean {
    if (this.members.size) return false;
    for (const c of this.children.values()) if (!c.set.isEmpty()) return false;
    return true;
  }

  /** The paths under one element, without that element (shared with this set: read, do not insert). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializePE(pe))?.set ?? new FieldSet();
  }

  /** Member elements of this node, in upstream's order. */
  memberElements(): PathElement[] {
    return [...this.members.values()].sort(comparePE);
  }

  /** Child nodes of this node, in upstream's order. */
  childNodes(): { pe: PathElement; set: FieldSet }[] {
    return [...this.children.values()].sort((a, b) => comparePE(a.pe, b.pe));
  }

  /** Every member path, members of a node before its children (upstream's preorder). */
  paths(): Path[] {
    const out: Path[] = [];
    const walk = (s: FieldSet, prefix: Path) => {
      for (const pe of s.memberElements()) out.push([...prefix, pe]);
      for (const c of s.childNodes()) walk(c.set, [...prefix, c.pe]);
    };
    walk(this, []);
    return out;
  }

  /** Paths in either set. */
  union(o: FieldSet): FieldSet {
    const out = this.copy();
    for (const [id, pe] of o.members) out.members.set(id, pe);
    for (const [id, c] of o.children) {
      const mine = out.children.get(id);
      out.children.set(id, { pe: c.pe, set: mine ? mine.set.union(c.set) : c.set.copy() });
    }
    return out;
  }

  /** Paths in both sets. */
  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (o.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const theirs = o.children.get(id);
      if (!theirs) continue;
      const s = c.set.intersection(theirs.set);
      if (!s.isEmpty()) out.children.set(id, { pe: c.pe, set: s });
    }
    return out;
  }

  /** Paths in this set and not in `o`; as upstream, a member of `o` does not remove this set's paths below it. */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!o.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const theirs = o.children.get(id);
      const s = theirs ? c.set.difference(theirs.set) : c.set.copy();
      if (!s.isEmpty()) out.children.set(id, { pe: c.pe, set: s });
    }
    return out;
  }

  /** Like difference, but a member of `o` also removes every path below it. */
  recursiveDifference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!o.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      if (o.members.has(id)) continue;
      const theirs = o.children.get(id);
      const s = theirs ? c.set.recursiveDifference(theirs.set) : c.set.copy();
      if (!s.isEmpty()) out.children.set(id, { pe: c.pe, set: s });
    }
    return out;
  }

  /** Same member paths. */
  equals(o: FieldSet): boolean {
    return this.difference(o).isEmpty() && o.difference(this).isEmpty();
  }

  /** A deep copy without empty children. */
  copy(): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) out.members.set(id, pe);
    for (const [id, c] of this.children) if (!c.set.isEmpty()) out.children.set(id, { pe: c.pe, set: c.set.copy() });
    return out;
  }
}
