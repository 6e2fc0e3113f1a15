// RFC 6902 JSON patch, with the semantics and messages of gopkg.in/evanphx/json-patch.v4, which the kube-apiserver uses.
import { badRequest, tooLarge } from '../../machinery/errors';
import { patchUnprocessable } from './errors';
import { type JsonObject, deepCopy, deepEqual, goJsonKind, hasKey, isObject, setKey } from './values';

/** Upstream's cap on the operations in one JSON patch (apiserver handlers/patch.go). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/**
 * Applies a JSON patch to a copy of `doc`. `ops` is the parsed body. A body that is not a list of
 * objects is a 400, too many operations a 413, and a failing operation a 422 whose cause carries
 * evanphx's message (e.g. "testing value /spec/replicas failed: test failed").
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (ops === null) return deepCopy(doc); // Go decodes a `null` body as an empty patch
  if (!Array.isArray(ops)) throw badRequest(`json: cannot unmarshal ${goJsonKind(ops)} into Go value of type jsonpatch.Patch`);
  const bad = ops.find((op) => op !== null && !isObject(op));
  if (bad !== undefined) throw badRequest(`json: cannot unmarshal ${goJsonKind(bad)} into Go value of type jsonpatch.Operation`);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw tooLarge(`Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  const root = { doc: deepCopy(doc) };
  for (const op of ops as (JsonObject | null)[]) {
    try {
      applyOperation(root, op ?? {});
    } catch (e) {
      throw patchUnprocessable((e as Error).message);
    }
  }
  return root.doc;
}

function applyOperation(root: { doc: unknown }, op: JsonObject): void {
  const kind = typeof op.op === 'string' && hasKey(op, 'op') ? op.op : 'unknown';
  switch (kind) {
    case 'add':
      return add(root, op);
    case 'remove':
      return remove(root, op);
    case 'replace':
      return replace(root, op);
    case 'move':
      return move(root, op);
    case 'test':
      return test(root, op);
    case 'copy':
      return copy(root, op);
    default:
      throw new Error(`Unexpected kind: ${kind}`);
  }
}

function add(root: { doc: unknown }, op: JsonObject): void {
  const path = readPointer(op, 'path', () => 'add operation failed to decode path: missing value');
  const target = findParent(root.doc, path);
  if (!target) throw new Error(`add operation does not apply: doc is missing path: "${path}": missing value`);
  wrap(`error in add for path: '${path}'`, () => target.add(valueOf(op)));
}

function remove(root: { doc: unknown }, op: JsonObject): void {
  const path = readPointer(op, 'path', () => 'remove operation failed to decode path: missing value');
  const target = findParent(root.doc, path);
  if (!target) throw new Error(`remove operation does not apply: doc is missing path: "${path}": missing value`);
  wrap(`error in remove for path: '${path}'`, () => target.remove());
}

function replace(root: { doc: unknown }, op: JsonObject): void {
  const path = readPointer(op, 'path', (e) => `replace operation failed to decode path: ${e}`);
  if (path === '') {
    // v4.12 wraps a nil error here, so a scalar value is silently ignored rather than refused.
    const value = valueOf(op);
    if (isObject(value) || Array.isArray(value)) root.doc = value;
    return;
  }
  const target = findParent(root.doc, path);
  if (!target) throw new Error(`replace operation does not apply: doc is missing path: ${path}: missing value`);
  // Only arrays can fail the lookup: v4 replaces a missing object key by adding it, and so does the apiserver.
  try {
    target.get();
  } catch {
    throw new Error(`replace operation does not apply: doc is missing key: ${path}: missing value`);
  }
  target.set(valueOf(op));
}

function move(root: { doc: unknown }, op: JsonObject): void {
  const from = readPointer(op, 'from', (e) => `move operation failed to decode from: ${e}`);
  const source = findParent(root.doc, from);
  if (!source) throw new Error(`move operation does not apply: doc is missing from path: ${from}: missing value`);
  const value = wrap(`error in move for path: '${source.key}'`, () => source.get());
  wrap(`error in move for path: '${source.key}'`, () => source.remove());
  const path = readPointer(op, 'path', (e) => `move operation failed to decode path: ${e}`);
  const target = findParent(root.doc, path);
  if (!target) throw new Error(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
  wrap(`error in move for path: '${path}'`, () => target.add(value));
}

function test(root: { doc: unknown }, op: JsonObject): void {
  const path = readPointer(op, 'path', (e) => `test operation failed to decode path: ${e}`);
  const expected = hasKey(op, 'value') ? op.value : undefined;
  if (path === '') {
    if (!deepEqual(root.doc, expected)) throw new Error(`testing value ${path} failed: test failed`);
    return;
  }
  const target = findParent(root.doc, path);
  if (!target) throw new Error(`test operation does not apply: is missing path: ${path}: missing value`);
  const actual = wrap(`error in test for path: '${path}'`, () => target.get());
  // A missing member and a null one look alike to v4; either matches an absent or null "value".
  const same = actual === null ? expected === undefined || expected === null : expected !== undefined && deepEqual(actual, expected);
  if (!same) throw new Error(`testing value ${path} failed: test failed`);
}

function copy(root: { doc: unknown }, op: JsonObject): void {
  const from = readPointer(op, 'from', (e) => `copy operation failed to decode from: ${e}`);
  const source = findParent(root.doc, from);
  if (!source) throw new Error(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
  const value = wrap(`error in copy for from: '${from}'`, () => source.get());
  const path = readPointer(op, 'path', () => 'copy operation failed to decode path: missing value');
  const target = findParent(root.doc, path);
  if (!target) throw new Error(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
  wrap('error while adding value during copy', () => target.add(deepCopy(value)));
}

/** One member of a container, addressed by the last token of a pointer. */
interface Slot {
  key: string;
  /** The member; null when an object lacks it (v4 does not tell the two apart). */
  get(): unknown;
  set(value: unknown): void;
  add(value: unknown): void;
  remove(): void;
}

/** Walks every token but the last; undefined when the walk leaves the document (v4's "doc is missing path"). */
function findParent(doc: unknown, path: string): Slot | undefined {
  // v4 splits on "/" and ignores what precedes the first one, so "a/b" addresses "/b".
  const tokens = path.split('/');
  if (tokens.length < 2) return undefined;
  let node = doc;
  for (const token of tokens.slice(1, -1)) {
    let next: unknown;
    try {
      next = slotOf(node, unescape(token)).get();
    } catch {
      return undefined;
    }
    if (!isObject(next) && !Array.isArray(next)) return undefined;
    node = next;
  }
  return slotOf(node, unescape(tokens[tokens.length - 1]));
}

function slotOf(node: unknown, key: string): Slot {
  return Array.isArray(node) ? arraySlot(node, key) : objectSlot(node as JsonObject, key);
}

function objectSlot(obj: JsonObject, key: string): Slot {
  return {
    key,
    get: () => (hasKey(obj, key) ? obj[key] : null),
    set: (value) => setKey(obj, key, value),
    add: (value) => setKey(obj, key, value),
    remove: () => {
      if (!hasKey(obj, key)) throw new Error(`Unable to remove nonexistent key: ${key}: missing value`);
      delete obj[key];
    },
  };
}

function arraySlot(arr: unknown[], key: string): Slot {
  // Negative indices count from the end, as v4 allows (SupportNegativeIndices defaults to true).
  const existing = (): number => {
    let i = atoi(key);
    if (i < -arr.length) throw invalidIndex(i);
    if (i < 0) i += arr.length;
    if (i >= arr.length) throw invalidIndex(i);
    return i;
  };
  return {
    key,
    get: () => arr[existing()],
    set: (value) => {
      arr[existing()] = value;
    },
    add: (value) => {
      if (key === '-') {
        arr.push(value);
        return;
      }
      let i: number;
      try {
        i = atoi(key);
      } catch (e) {
        throw new Error(`value was not a proper array index: '${key}': ${(e as Error).message}`);
      }
      const size = arr.length + 1;
      if (i >= size || i < -size) throw invalidIndex(i);
      if (i < 0) i += size;
      arr.splice(i, 0, value);
    },
    remove: () => {
      arr.splice(existing(), 1);
    },
  };
}

function invalidIndex(i: number): Error {
  return new Error(`Unable to access invalid index: ${i}: invalid index referenced`);
}

/** Go's strconv.Atoi, messages included. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return Number(n);
}

/** RFC 6901 token decoding: "~1" is "/", "~0" is "~", in one left-to-right pass. */
function unescape(token: string): string {
  return token.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

/** Reads "path" or "from"; `fail` words the error as the calling operation does. */
function readPointer(op: JsonObject, name: 'path' | 'from', fail: (cause: string) => string): string {
  const v = hasKey(op, name) ? op[name] : null;
  if (typeof v === 'string') return v;
  const cause =
    v === null
      ? name === 'path'
        ? 'operation missing path field: missing value'
        : 'operation, missing from field: missing value'
      : `json: cannot unmarshal ${goJsonKind(v)} into Go value of type string`;
  throw new Error(fail(cause));
}

/** The operation's value, copied so the patch body is never aliased; an absent value is null, as in v4. */
function valueOf(op: JsonObject): unknown {
  return hasKey(op, 'value') ? deepCopy(op.value ?? null) : null;
}

function wrap<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new Error(`${prefix}: ${(e as Error).message}`);
  }
}
