// A reader of the protobuf wire format: tags, varints, length-delimited values, and skipping what is not understood.
import { badRequest } from '../../machinery/errors';

/** Wire type of varints (int32, int64, bool). */
export const VARINT = 0;
/** Wire type of fixed 8-byte values. */
export const FIXED64 = 1;
/** Wire type of strings, bytes, messages, map entries and packed repeated scalars. */
export const LEN = 2;
/** Wire type of fixed 4-byte values. */
export const FIXED32 = 5;

/** Reads one message's bytes front to back; every malformed input is a 400. */
export class WireReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  /** True once every byte has been read. */
  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** An unsigned 64-bit varint. */
  varint(): bigint {
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        if (i === 9 && b > 1) break;
        return value;
      }
    }
    throw badRequest(`protobuf: varint overflows 64 bits at byte ${this.pos}`);
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: number } {
    const tag = this.uint();
    const field = Math.floor(tag / 8);
    if (field < 1 || field > 0x1fffffff) throw badRequest(`protobuf: invalid field number ${field} at byte ${this.pos}`);
    return { field, wire: tag % 8 };
  }

  /** A length-delimited value, as a view into the body. */
  bytes(): Uint8Array {
    const len = this.uint();
    if (len > this.buf.length - this.pos) throw this.truncated();
    const start = this.pos;
    this.pos += len;
    return this.buf.subarray(start, this.pos);
  }

  // Tags and lengths without BigInt, which is most of the decoding time; exact while below 2^53.
  private uint(): number {
    let value = 0;
    for (let i = 0, scale = 1; i < 8; i++, scale *= 128) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
    }
    throw badRequest(`protobuf: tag or length too large at byte ${this.pos}`);
  }

  /** Steps over a value of an unknown field (upstream's decoder ignores those too). */
  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === LEN) this.bytes();
    else if (wire === FIXED64) this.advance(8);
    else if (wire === FIXED32) this.advance(4);
    else throw badRequest(`protobuf: unsupported wire type ${wire} at byte ${this.pos}`);
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw this.truncated();
    return this.buf[this.pos++];
  }

  private advance(n: number): void {
    if (this.pos + n > this.buf.length) throw this.truncated();
    this.pos += n;
  }

  private truncated() {
    return badRequest(`protobuf: unexpected end of data at byte ${this.pos} of ${this.buf.length}`);
  }
}
