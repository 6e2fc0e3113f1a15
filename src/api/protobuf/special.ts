// The apimachinery types whose wire form differs from their JSON form: times, durations, quantities, int-or-string, raw JSON.
import { badRequest } from '../../machinery/errors';
import { formatGoDuration } from './go-duration';
import { LEN, VARINT, WireReader } from './wire';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

// Go's zero time.Time (0001-01-01T00:00:00Z) in Unix seconds: it marshals to JSON null.
const GO_ZERO_SECONDS = -62135596800n;
const SECOND = 1_000_000_000n;

/** Reads a message's varint and length-delimited fields by number, skipping the rest. */
function fieldsOf(buf: Uint8Array): Map<number, bigint | Uint8Array> {
  const r = new WireReader(buf);
  const out = new Map<number, bigint | Uint8Array>();
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire === VARINT) out.set(field, r.varint());
    else if (wire === LEN) out.set(field, r.bytes());
    else r.skip(wire);
  }
  return out;
}

const int = (v: bigint | Uint8Array | undefined, bits: 32 | 64): bigint => (typeof v === 'bigint' ? BigInt.asIntN(bits, v) : 0n);
const text = (v: bigint | Uint8Array | undefined): string => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : '');

// Timestamp {seconds = 1, nanos = 2}; an empty message is the zero time, which upstream writes as null.
function timestamp(buf: Uint8Array, micro: boolean): string | null {
  const f = fieldsOf(buf);
  // metav1.Time keeps whole seconds only (upstream's Unmarshal drops nanos); MicroTime keeps microseconds.
  const total = int(f.get(1), 64) * SECOND + (micro ? int(f.get(2), 32) : 0n);
  const nanos = ((total % SECOND) + SECOND) % SECOND;
  const seconds = (total - nanos) / SECOND;
  if (!buf.length || (seconds === GO_ZERO_SECONDS && nanos === 0n)) return null;
  const date = new Date(Number(seconds) * 1000);
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) throw badRequest(`protobuf: time ${seconds}s is outside the years 0-9999`);
  const base = date.toISOString().slice(0, 19);
  return micro ? `${base}.${(nanos / 1000n).toString().padStart(6, '0')}Z` : `${base}Z`;
}

// RawExtension and FieldsV1 {raw = 1}: JSON kept as bytes; absent is null.
function rawJSON(buf: Uint8Array): unknown {
  const raw = fieldsOf(buf).get(1);
  if (!(raw instanceof Uint8Array) || !raw.length) return null;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    throw badRequest('protobuf: an embedded raw object is not JSON');
  }
}

// IntOrString {type = 1 (0 int, 1 string), intVal = 2, strVal = 3}.
function intOrString(buf: Uint8Array): number | string {
  const f = fieldsOf(buf);
  const type = int(f.get(1), 64);
  if (type === 0n) return Number(int(f.get(2), 32));
  if (type === 1n) return text(f.get(3));
  throw badRequest(`protobuf: IntOrString of unknown type ${type}`);
}

/** Decoders of the special messages by definition name; every other message is decoded from the field table. */
export const SPECIAL_MESSAGES: ReadonlyMap<string, (buf: Uint8Array) => unknown> = new Map<string, (buf: Uint8Array) => unknown>([
  [`${META}.Time`, (b) => timestamp(b, false)],
  [`${META}.MicroTime`, (b) => timestamp(b, true)],
  // Duration {duration = 1 (int64 ns)} → Go's duration string.
  [`${META}.Duration`, (b) => formatGoDuration(int(fieldsOf(b).get(1), 64))],
  [`${META}.FieldsV1`, rawJSON],
  ['io.k8s.apimachinery.pkg.runtime.RawExtension', rawJSON],
  // Quantity {string = 1}, already canonical on the wire; the zero Quantity reads "0" in JSON.
  ['io.k8s.apimachinery.pkg.api.resource.Quantity', (b) => text(fieldsOf(b).get(1)) || '0'],
  ['io.k8s.apimachinery.pkg.util.intstr.IntOrString', intOrString],
]);
