// Structural sharing for the watch cache: equal small parts of cached objects become one object in memory.
//
// The pods of one template differ in a few fields (name, uid, IPs, timestamps) and agree in most small parts
// (tolerations, resources, the service account volume's sources, managedFields sets, conditions written the same second).
// Held once each instead of once per pod, 100k pods take a third of the memory. Cached objects are read-only, so
// sharing is invisible to readers.
//
// Parts are canonicalised bottom-up, so two parts are equal exactly when they have the same keys holding the same
// primitives or the very same (already canonical) children: a shallow comparison, with a hash built from the children's.

/** Parts with more nodes than this are never shared (their parts still are): big parts are rarely equal. */
const MAX_SHARED_NODES = 256;
/** Entries per generation of the table of known parts. */
const GENERATION_SIZE = 20_000;

type Part = Record<string, unknown> | unknown[];

/**
 * Known parts by hash, in two generations: a part found in the old one moves to the young one, and when the young one
 * fills it becomes the old one. Parts seen again and again stay; one-off parts (a pod's own status) age out.
 */
export class SubtreeTable {
  private young = new Map<number, Part[]>();
  private youngSize = 0;
  private old = new Map<number, Part[]>();

  /** The shared instance equal to `part`, remembering `part` when it is the first. */
  canonical(hash: number, part: Part): Part {
    const known = findEqual(this.young.get(hash), part);
    if (known) return known;
    // Frozen, so that a reader changing a cached object by mistake fails loudly instead of changing every pod at once.
    const chosen = findEqual(this.old.get(hash), part) ?? (Object.freeze(part) as Part);
    if (this.youngSize >= GENERATION_SIZE) {
      this.old = this.young;
      this.young = new Map();
      this.youngSize = 0;
    }
    const bucket = this.young.get(hash);
    if (bucket) bucket.push(chosen);
    else this.young.set(hash, [chosen]);
    this.youngSize++;
    return chosen;
  }
}

function findEqual(bucket: Part[] | undefined, part: Part): Part | undefined {
  if (!bucket) return undefined;
  for (const candidate of bucket) if (shallowEqual(candidate, part)) return candidate;
  return undefined;
}

// Same kind, same keys in the same order, and identical values (children are canonical, so identity is equality).
function shallowEqual(a: Part, b: Part): boolean {
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || (a as Record<string, unknown>)[ka[i]] !== (b as Record<string, unknown>)[kb[i]]) return false;
  }
  return true;
}

// FNV-1a over a string's length and at most its first 4 and last 12 characters, continuing from `h`: enough to tell
// names, uids and timestamps apart, and bounded work for long values (an equal hash is always checked with ===).
function hashString(h: number, s: string): number {
  const n = s.length;
  h = Math.imul(h ^ n, 16777619);
  if (n <= 16) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    return h;
  }
  for (let i = 0; i < 4; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  for (let i = n - 12; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

function hashPrimitive(h: number, v: unknown): number {
  if (typeof v === 'string') return hashString(Math.imul(h ^ 1, 16777619), v);
  if (typeof v === 'number') return hashString(Math.imul(h ^ 2, 16777619), String(v));
  return Math.imul(h ^ (v === true ? 3 : v === false ? 4 : v === null ? 5 : 6), 16777619);
}

/**
 * Replaces, in place, every part of `obj` (not `obj` itself) that equals a part seen before with that earlier instance.
 * `obj` must be freshly decoded and not yet visible to anyone.
 */
export function shareSubtrees(obj: Record<string, unknown>, table: SubtreeTable): void {
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (typeof v === 'object' && v !== null) obj[k] = share(v as Part, table);
  }
}

// The hash and node count of the part share() last returned (results kept here rather than in a returned object,
// since share() runs for every node of every cached write).
let lastHash = 0;
let lastNodes = 0;

// The shared instance of `part`; its hash and node count (Infinity once too big to share) are left in lastHash/lastNodes.
function share(part: Part, table: SubtreeTable): Part {
  const record = part as Record<string, unknown>;
  let h = Array.isArray(part) ? 0x811c9dc5 : 0x01000193;
  let nodes = 1;
  for (const k of Object.keys(record)) {
    h = hashString(h, k);
    const child = record[k];
    if (typeof child === 'object' && child !== null) {
      record[k] = share(child as Part, table);
      h = Math.imul(h ^ lastHash, 16777619);
      nodes += lastNodes;
    } else {
      h = hashPrimitive(h, child);
      nodes++;
    }
  }
  lastHash = h;
  lastNodes = nodes > MAX_SHARED_NODES ? Infinity : nodes;
  return nodes > MAX_SHARED_NODES ? part : table.canonical(h, part);
}
