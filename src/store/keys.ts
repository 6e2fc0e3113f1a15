// Key-range helpers shared by the backends: a prefix becomes the half-open range [prefix, prefixEnd).

/**
 * The smallest string greater than every string that starts with `prefix`, or undefined when
 * the prefix is empty (the range is unbounded). Incrementing the last UTF-16 unit keeps the
 * order SQLite and etcd use (UTF-8 byte order) for every key outside the surrogate range.
 */
export function prefixEnd(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** True when `key` lies under `prefix`. */
export function hasPrefix(key: string, prefix: string): boolean {
  return key.startsWith(prefix);
}

/** Orders keys as the list results are sorted. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
