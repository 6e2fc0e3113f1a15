// Decodes one protobuf message into its JSON object, driven by the field table and the special-type decoders.
import { badRequest } from '../../machinery/errors';
import { FIELDS } from './fields';
import { SPECIAL_MESSAGES } from './special';
import { SCALAR_TYPES } from './table';
import { LEN, VARINT, WireReader } from './wire';

type JSONObject = Record<string, unknown>;

/** A table entry taken apart once per message, so decoding does no string work per field. */
interface Field {
  name: string;
  /** The element type of lists, the value type of maps, else the field's type. */
  type: string;
  shape: 'value' | 'list' | 'map' | 'inline';
  keyType?: string;
  omitZero: boolean;
}

const listWrappers = new Set(FIELDS.listWrappers);
const compiled = new Map<string, Map<number, Field>>();

/** True when the table has `message` (a definition name), so it can be decoded as a top-level object. */
export function knowsMessage(message: string): boolean {
  return Object.hasOwn(FIELDS.messages, message);
}

function fieldsOf(message: string): Map<number, Field> {
  let fields = compiled.get(message);
  if (fields) return fields;
  const entries = FIELDS.messages[message];
  if (!entries) throw new Error(`protobuf: no field table for ${message}`);
  fields = new Map();
  for (const [num, [name, type, flag]] of Object.entries(entries)) {
    const map = /^map\[([^\]]+)\](.+)$/.exec(type);
    const field: Field = map
      ? { name, type: map[2], shape: 'map', keyType: map[1], omitZero: false }
      : type.startsWith('[]')
        ? { name, type: type.slice(2), shape: 'list', omitZero: false }
        : { name, type, shape: flag === 'inline' ? 'inline' : 'value', omitZero: flag === 'omitempty' };
    fields.set(Number(num), field);
  }
  compiled.set(message, fields);
  return fields;
}

/** Decodes `buf` as `message`, adding its fields to `into` (embedded inline messages share their parent's object). */
export function decodeMessage(buf: Uint8Array, message: string, into: JSONObject = {}): JSONObject {
  const fields = fieldsOf(message);
  const r = new WireReader(buf);
  while (!r.done) {
    const { field: num, wire } = r.tag();
    const f = fields.get(num);
    if (!f) {
      r.skip(wire);
      continue;
    }
    const where = () => `${message}.${f.name}`;
    if (f.shape === 'list') {
      const list = (Array.isArray(into[f.name]) ? into[f.name] : (into[f.name] = [])) as unknown[];
      readRepeated(r, wire, f.type, where, list);
    } else if (f.shape === 'map') {
      const map = (isObject(into[f.name]) ? into[f.name] : (into[f.name] = {})) as JSONObject;
      readMapEntry(expectLen(r, wire, where), f.keyType!, f.type, where, map);
    } else if (f.shape === 'inline') {
      decodeMessage(expectLen(r, wire, where), f.type, into);
    } else {
      const value = readValue(r, wire, f.type, where, into[f.name]);
      // Go's encoder drops zero values of non-pointer omitempty fields, which protobuf always carries.
      if (!f.omitZero || (value !== '' && value !== 0 && value !== false)) into[f.name] = value;
      else if (f.name in into) delete into[f.name];
    }
  }
  return into;
}

function isObject(v: unknown): v is JSONObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expectLen(r: WireReader, wire: number, where: () => string): Uint8Array {
  if (wire !== LEN) throw wrongWire(where, wire, LEN);
  return r.bytes();
}

function wrongWire(where: () => string, got: number, want: number) {
  return badRequest(`protobuf: field ${where()} has wire type ${got}, expected ${want}`);
}

// A view, not a copy, of the body's bytes as a Buffer; invalid UTF-8 becomes U+FFFD, as Go's JSON encoder writes it.
const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

// One value of `type`; a repeated message field merges into what an earlier occurrence left, as protobuf does.
function readValue(r: WireReader, wire: number, type: string, where: () => string, previous?: unknown): unknown {
  if (type === 'string') return asBuffer(expectLen(r, wire, where)).toString('utf8');
  if (type === 'bytes') return asBuffer(expectLen(r, wire, where)).toString('base64');
  if (SCALAR_TYPES.has(type)) {
    if (wire !== VARINT) throw wrongWire(where, wire, VARINT);
    return varintValue(r.varint(), type);
  }
  return messageValue(expectLen(r, wire, where), type, previous);
}

function varintValue(v: bigint, type: string): number | boolean {
  if (type === 'bool') return v !== 0n;
  return Number(BigInt.asIntN(type === 'int32' ? 32 : 64, v));
}

function messageValue(buf: Uint8Array, type: string, previous?: unknown): unknown {
  const special = SPECIAL_MESSAGES.get(type);
  if (special) return special(buf);
  if (listWrappers.has(type)) return decodeMessage(buf, type).items ?? [];
  return decodeMessage(buf, type, isObject(previous) ? previous : {});
}

// Repeated varint scalars may arrive packed (one length-delimited run) or one per tag; decoders accept both.
function readRepeated(r: WireReader, wire: number, type: string, where: () => string, list: unknown[]): void {
  if (wire === LEN && SCALAR_TYPES.has(type) && type !== 'string' && type !== 'bytes') {
    const packed = new WireReader(r.bytes());
    while (!packed.done) list.push(varintValue(packed.varint(), type));
    return;
  }
  list.push(readValue(r, wire, type, where));
}

// A map entry is a message {key = 1, value = 2}; a missing part is its type's zero value.
function readMapEntry(buf: Uint8Array, keyType: string, valueType: string, where: () => string, map: JSONObject): void {
  const r = new WireReader(buf);
  let key: unknown = zeroOf(keyType);
  let value: unknown;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) key = readValue(r, wire, keyType, where);
    else if (field === 2) value = readValue(r, wire, valueType, where);
    else r.skip(wire);
  }
  map[String(key)] = value === undefined ? zeroOf(valueType) : value;
}

function zeroOf(type: string): unknown {
  if (type === 'string' || type === 'bytes') return '';
  if (type === 'bool') return false;
  if (SCALAR_TYPES.has(type)) return 0;
  return messageValue(new Uint8Array(0), type);
}
