// Field paths as structured-merge-diff has them: path elements, their total order, wire form (f:, k:, v:, i:) and message form.
import { goJson, isMap } from './values';

/** One step of a field path: a struct field or map key, a keyed list item, a set member, or a list index. */
export type PathElement =
  | { field: string }
  | { key: [string, unknown][] }
  | { value: unknown }
  | { index: number };

/** A field path from the object root. */
export type Path = PathElement[];

/** The path element of a struct field or map key. */
export const fieldPE = (name: string): PathElement => ({ field: name });

// Path elements are immutable once made, and set operations ask for the same element's identity many times.
const ids = new WeakMap<PathElement, string>();

/** The wire form of a path element, e.g. `f:image` or `k:{"name":"app"}`; also its identity. */
export function serializePE(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  let id = ids.get(pe);
  if (id === undefined) {
    if ('key' in pe) id = `k:{${pe.key.map(([k, v]) => `${goJson(k)}:${goJson(v)}`).join(',')}}`;
    else if ('value' in pe) id = `v:${goJson(pe.value)}`;
    else id = `i:${pe.index}`;
    ids.set(pe, id);
  }
  return id;
}

/** Parses the wire form; undefined for element types this version does not know (upstream skips those). */
export function parsePE(s: string): PathElement | undefined {
  if (s.length < 2 || s[1] !== ':') throw new Error(`invalid path element ${JSON.stringify(s)}`);
  const body = s.slice(2);
  switch (s[0]) {
    case 'f':
      return { field: body };
    case 'v':
      return { value: JSON.parse(body) };
    case 'k': {
      const m: unknown = JSON.parse(body);
      if (!isMap(m)) throw new Error(`invalid key path element ${JSON.stringify(s)}`);
      return { key: sortFields(Object.entries(m)) };
    }
    case 'i': {
      if (!/^-?\d+$/.test(body)) throw new Error(`invalid index path element ${JSON.stringify(s)}`);
      return { index: Number(body) };
    }
    default:
      return undefined;
  }
}

/** Key fields in the order upstream keeps them: by name. */
export function sortFields(fields: [string, unknown][]): [string, unknown][] {
  return fields.sort(([a], [b]) => cmpStr(a, b));
}

/** Upstream's total order of path elements: fields, then keys, then values, then indexes. */
export function comparePE(a: PathElement, b: PathElement): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if ('field' in a && 'field' in b) return cmpStr(a.field, b.field);
  if ('key' in a && 'key' in b) return compareFieldLists(a.key, b.key);
  if ('value' in a && 'value' in b) return compareValues(a.value, b.value);
  if ('index' in a && 'index' in b) return Math.sign(a.index - b.index);
  return 0;
}

function rank(pe: PathElement): number {
  if ('field' in pe) return 0;
  if ('key' in pe) return 1;
  if ('value' in pe) return 2;
  return 3;
}

function compareFieldLists(a: [string, unknown][], b: [string, unknown][]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length || i >= b.length) return Math.sign(a.length - b.length);
    const c = cmpStr(a[i][0], b[i][0]) || compareValues(a[i][1], b[i][1]);
    if (c) return c;
  }
}

/** Upstream's total order of values: numbers, strings, booleans, lists, maps, null. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'string' && typeof b === 'string') return cmpStr(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c) return c;
    }
    return Math.sign(a.length - b.length);
  }
  if (isMap(a) && isMap(b)) {
    return compareFieldLists(sortFields(Object.entries(a)), sortFields(Object.entries(b)));
  }
  return 0;
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (isMap(v)) return 4;
  return 5;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The message form of a path element: `.image`, `[name="app"]`, `[="x"]`, `[0]`. */
export function peString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`;
  if ('key' in pe) return `[${pe.key.map(([k, v]) => `${k}=${valueString(v)}`).join(',')}]`;
  if ('value' in pe) return `[=${valueString(pe.value)}]`;
  return `[${pe.index}]`;
}

/** The message form of a path, e.g. `.spec.template.spec.containers[name="app"].image`. */
export function pathString(path: Path): string {
  return path.map(peString).join('');
}

// As upstream's value.ToString: strings quoted, lists bracketed, maps as k=v runs.
function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (isMap(v)) return sortFields(Object.entries(v)).map(([k, x]) => `${k}=${valueString(x)}`).join('');
  return String(v);
}
