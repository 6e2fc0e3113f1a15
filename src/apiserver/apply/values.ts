// JSON value helpers for apply: shape tests, own-key access, deep equality and Go-compatible JSON text.

/** A JSON object as parsed by JSON.parse. */
export type JsonMap = { [key: string]: unknown };

/** True for a JSON object (not an array, not null). */
export function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own-key test, so keys such as "__proto__" or "constructor" never reach the prototype. */
export function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** Sets an own data property, even "__proto__". */
export function setOwn(o: JsonMap, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

/** Deep equality of JSON values; map key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** True when `v` is exactly what JSON.parse could have returned: no undefined, functions, non-finite numbers or class instances. */
export function isPlainJson(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!isPlainJson(v[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k in v) if (!isPlainJson((v as JsonMap)[k])) return false;
      return true;
    }
    default:
      return false;
  }
}

/** A deep copy of a JSON value. */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** JSON text as Go's encoding/json writes it: map keys sorted, and <, >, & and U+2028/9 escaped. */
export function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isMap(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${goString(k)}:${goJson(v[k])}`).join(',')}}`;
  }
  if (typeof v === 'string') return goString(v);
  return JSON.stringify(v ?? null);
}

const GO_ESCAPED = /[<>&\u2028\u2029]/g;

function goString(s: string): string {
  const json = JSON.stringify(s);
  GO_ESCAPED.lastIndex = 0;
  if (!GO_ESCAPED.test(json)) return json;
  return json.replace(GO_ESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
