// Resource lists as quota arithmetic sees them: exact quantities by name, added, masked and compared (upstream quota/v1 helpers).
import { parseQuantity, Quantity, tryParseQuantity } from '../../machinery/quantity';

/** A corev1.ResourceList with parsed quantities. */
export type ResourceList = Map<string, Quantity>;

/** Parses a JSON resource list, skipping malformed values (validation rejected them already). */
export function toResourceList(raw: Record<string, unknown> | undefined): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, v] of Object.entries(raw ?? {})) {
    const q = tryParseQuantity(v);
    if (q) out.set(k, q);
  }
  return out;
}

/** The JSON form, with canonical quantity strings. */
export function fromResourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of list) out[k] = v.toString();
  return out;
}

/** One whole unit, for object counts. */
export const ONE = parseQuantity('1');

/** a + b; the first operand's format wins unless it is zero, as upstream's Quantity.Add. */
export function add(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [k, v] of b) {
    const cur = out.get(k);
    out.set(k, cur && cur.sign() !== 0 ? cur.withNano(cur.nano + v.nano) : cur ? v.withNano(cur.nano + v.nano) : v);
  }
  return out;
}

/** a - b, clamped at zero per name (upstream SubtractWithNonNegativeResult). */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, v] of a) {
    const sub = b.get(k);
    const n = sub ? v.nano - sub.nano : v.nano;
    out.set(k, v.withNano(n > 0n ? n : 0n));
  }
  return out;
}

/** Keeps only `names`. */
export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = new Map();
  for (const n of names) {
    const v = list.get(n);
    if (v) out.set(n, v);
  }
  return out;
}

/** Drops zero entries. */
export function removeZeros(list: ResourceList): ResourceList {
  return new Map([...list].filter(([, v]) => v.sign() !== 0));
}

/** Each name of `a` whose value exceeds the same name in `b` (names absent from `b` are unbounded). */
export function exceeded(a: ResourceList, b: ResourceList): string[] {
  const out: string[] = [];
  for (const [k, v] of a) {
    const limit = b.get(k);
    if (limit && v.cmp(limit) > 0) out.push(k);
  }
  return out;
}

/** upstream prettyPrint: "a=1,b=2" sorted by name. */
export function prettyPrint(list: ResourceList): string {
  return [...list.keys()]
    .sort()
    .map((k) => `${k}=${list.get(k)!.toString()}`)
    .join(',');
}
