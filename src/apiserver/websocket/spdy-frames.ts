// SPDY/3.1 framing (spec draft 3.1): frame encoding, an incremental frame parser, and name/value header blocks.
import { adler32 } from './adler32';
import { SPDY3_DICTIONARY } from './spdy-dictionary';

/** Control frame types. */
export const SYN_STREAM = 1;
export const SYN_REPLY = 2;
export const RST_STREAM = 3;
export const PING = 6;
export const GOAWAY = 7;

/** FLAG_FIN on data and SYN frames: the sender is done writing on this stream. */
export const FLAG_FIN = 0x01;

const VERSION = 3;
const MAX_LENGTH = 0xffffff;

/** One frame off the wire; control frames keep their raw payload. */
export type SpdyFrame =
  | { control: false; streamId: number; flags: number; data: Buffer }
  | { control: true; type: number; flags: number; payload: Buffer };

/** The stream ID a SYN_STREAM, SYN_REPLY, RST_STREAM, HEADERS or WINDOW_UPDATE payload starts with. */
export function payloadStreamId(payload: Buffer): number {
  return payload.readUInt32BE(0) & 0x7fffffff;
}

function frameHead(first: number, flags: number, length: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(first >>> 0, 0);
  h.writeUInt32BE(((flags << 24) | length) >>> 0, 4);
  return h;
}

/** A control frame of `type` with `payload`. */
export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([frameHead((0x8000 << 16) | (VERSION << 16) | type, flags, payload.length), payload]);
}

/** Data frames carrying `data` on a stream (split at the 24-bit length limit); FIN on the last when `fin`. */
export function dataFrames(streamId: number, data: Buffer, fin: boolean): Buffer {
  const out: Buffer[] = [];
  let off = 0;
  do {
    const part = data.subarray(off, off + MAX_LENGTH);
    off += part.length;
    out.push(frameHead(streamId, fin && off >= data.length ? FLAG_FIN : 0, part.length), part);
  } while (off < data.length);
  return Buffer.concat(out);
}

/** SYN_STREAM opening `streamId` with an already compressed header block, priority 0. */
export function synStreamFrame(streamId: number, headerBlock: Buffer, flags = 0): Buffer {
  const p = Buffer.alloc(10);
  p.writeUInt32BE(streamId, 0);
  return controlFrame(SYN_STREAM, flags, Buffer.concat([p, headerBlock]));
}

/** SYN_REPLY accepting `streamId` (what a server answers a SYN_STREAM with). */
export function synReplyFrame(streamId: number, headerBlock: Buffer, flags = 0): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(streamId, 0);
  return controlFrame(SYN_REPLY, flags, Buffer.concat([p, headerBlock]));
}

/** A frame with two 32-bit words: RST_STREAM (stream, status), PING (id), GOAWAY (last stream, status). */
export function wordsFrame(type: number, ...words: number[]): Buffer {
  const p = Buffer.alloc(4 * words.length);
  words.forEach((w, i) => p.writeUInt32BE(w >>> 0, 4 * i));
  return controlFrame(type, 0, p);
}

/** Splits a byte stream into frames as they complete. */
export class SpdyFrameParser {
  private buf: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns every frame now complete. */
  push(chunk: Buffer): SpdyFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: SpdyFrame[] = [];
    while (this.buf.length >= 8) {
      const first = this.buf.readUInt32BE(0);
      const flags = this.buf[4];
      const length = this.buf.readUInt32BE(4) & MAX_LENGTH;
      if (this.buf.length < 8 + length) break;
      const body = this.buf.subarray(8, 8 + length);
      this.buf = this.buf.subarray(8 + length);
      if (first & 0x80000000) frames.push({ control: true, type: first & 0xffff, flags, payload: body });
      else frames.push({ control: false, streamId: first & 0x7fffffff, flags, data: body });
    }
    return frames;
  }
}

/** The uncompressed name/value block: a count, then length-prefixed names and values (names lowercase). */
export function headerBlock(headers: [string, string][]): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  parts.push(u32(headers.length));
  for (const [name, value] of headers) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(value);
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Reads an uncompressed name/value block back into pairs. */
export function parseHeaderBlock(block: Buffer): [string, string][] {
  const out: [string, string][] = [];
  let off = 4;
  const count = block.readUInt32BE(0);
  for (let i = 0; i < count; i++) {
    const nl = block.readUInt32BE(off);
    const name = block.subarray(off + 4, off + 4 + nl).toString();
    off += 4 + nl;
    const vl = block.readUInt32BE(off);
    out.push([name, block.subarray(off + 4, off + 4 + vl).toString()]);
    off += 4 + vl;
  }
  return out;
}

/**
 * The sending side of SPDY header compression: one zlib stream per connection, primed with the SPDY/3 dictionary.
 * We send few, small header blocks, so each goes out as stored (uncompressed) deflate blocks: a valid zlib stream
 * for any peer's inflater, built synchronously, with no compressor state to keep.
 */
export class HeaderCompressor {
  private started = false;

  /** The compressed form of `headers`, continuing this connection's zlib stream. */
  compress(headers: [string, string][]): Buffer {
    const raw = headerBlock(headers);
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // zlib header: deflate with a 32K window (0x78), FDICT set and FCHECK making the pair a multiple of 31, then the dictionary's id.
      const flg = 0x20 + (31 - (((0x78 << 8) | 0x20) % 31)) % 31;
      const id = Buffer.alloc(4);
      id.writeUInt32BE(adler32(SPDY3_DICTIONARY));
      parts.push(Buffer.from([0x78, flg]), id);
    }
    let off = 0;
    do {
      const part = raw.subarray(off, off + 0xffff);
      off += part.length;
      const head = Buffer.alloc(5);
      // BFINAL=0, BTYPE=00 (stored), then LEN and its one's complement, little-endian.
      head.writeUInt16LE(part.length, 1);
      head.writeUInt16LE(~part.length & 0xffff, 3);
      parts.push(head, part);
    } while (off < raw.length);
    // An empty stored block ends each header block, as zlib's Z_SYNC_FLUSH does: inflaters that flush their output
    // only at a block boundary (Go's) must not have to read into the next frame to hand over this one.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}
