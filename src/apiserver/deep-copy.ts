// A deep copy of API objects, several times faster than structuredClone for the plain JSON-shaped objects they are.

/** A deep copy of `v`: plain objects and arrays are copied (undefined fields kept, as structuredClone does); anything else goes through structuredClone. */
export function deepCopy<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = deepCopy(v[i]);
    return out as T;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    // "__proto__" as an own key (JSON.parse makes those) must stay an own key, not become the copy's prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: deepCopy(x), writable: true, enumerable: true, configurable: true });
    else out[k] = deepCopy(x);
  }
  return out as T;
}
