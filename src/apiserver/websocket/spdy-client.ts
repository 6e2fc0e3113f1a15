// The client end of a SPDY/3.1 connection over an upgraded socket: opens streams, writes and half-closes them.
import type { Duplex } from 'node:stream';
import { dataFrames, FLAG_FIN, GOAWAY, HeaderCompressor, payloadStreamId, PING, RST_STREAM, SpdyFrame, SpdyFrameParser, SYN_REPLY, SYN_STREAM, synStreamFrame, wordsFrame } from './spdy-frames';

/** RST_STREAM status for a stream we refuse (servers do not open streams towards kubelet clients). */
const REFUSED_STREAM = 3;

/** What the server sends, per stream. */
export interface SpdyClientHandlers {
  data(streamId: number, data: Buffer): void;
  /** The server finished (or reset) its side of the stream. */
  fin(streamId: number): void;
  /** The connection ended. */
  close(): void;
}

/** A SPDY client connection on `socket`; `head` is what arrived with the 101 response. */
export class SpdyClient {
  private nextId = 1;
  private readonly parser = new SpdyFrameParser();
  private readonly compressor = new HeaderCompressor();
  private readonly pending = new Map<number, { resolve(): void; reject(e: Error): void }>();
  private closed = false;

  constructor(
    private readonly socket: Duplex,
    head: Buffer,
    private readonly on: SpdyClientHandlers,
  ) {
    socket.on('data', (c: Buffer) => this.receive(c));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new Error('connection closed'));
      this.pending.clear();
      this.on.close();
    });
    if (head.length) queueMicrotask(() => this.receive(head));
  }

  /** Opens a stream with `headers`; resolves with its ID once the server replies (rejects on reset or close). */
  open(headers: [string, string][]): Promise<number> {
    const id = this.nextId;
    this.nextId += 2;
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('connection closed'));
      this.pending.set(id, { resolve: () => resolve(id), reject });
      this.socket.write(synStreamFrame(id, this.compressor.compress(headers)));
    });
  }

  /** Writes data on a stream; false when the socket's buffer is full (wait for drain()). */
  write(streamId: number, data: Buffer): boolean {
    if (this.closed) return true;
    return this.socket.write(dataFrames(streamId, data, false));
  }

  /** Half-closes our side of a stream (stdin EOF). */
  end(streamId: number): void {
    if (!this.closed) this.socket.write(dataFrames(streamId, Buffer.alloc(0), true));
  }

  /** Calls `fn` once the socket can take more. */
  drain(fn: () => void): void {
    this.socket.once('drain', fn);
  }

  /** Stops or restarts reading from the server (backpressure towards the client). */
  pause(paused: boolean): void {
    if (paused) this.socket.pause();
    else this.socket.resume();
  }

  /** Says goodbye and closes the connection. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end(wordsFrame(GOAWAY, 0, 0));
    // A server that never closes its side must not keep the socket open forever.
    setTimeout(() => this.socket.destroy(), 5000).unref();
  }

  private receive(chunk: Buffer): void {
    for (const f of this.parser.push(chunk)) this.handle(f);
  }

  private handle(f: SpdyFrame): void {
    if (!f.control) {
      if (f.data.length) this.on.data(f.streamId, f.data);
      if (f.flags & FLAG_FIN) this.on.fin(f.streamId);
      return;
    }
    switch (f.type) {
      case SYN_REPLY: {
        const id = payloadStreamId(f.payload);
        this.pending.get(id)?.resolve();
        this.pending.delete(id);
        if (f.flags & FLAG_FIN) this.on.fin(id);
        return;
      }
      case RST_STREAM: {
        const id = payloadStreamId(f.payload);
        this.pending.get(id)?.reject(new Error(`stream ${id} reset by the server`));
        this.pending.delete(id);
        this.on.fin(id);
        return;
      }
      case PING:
        // Server pings have even IDs and want an echo; ours (odd) we never send.
        if (!this.closed && f.payload.readUInt32BE(0) % 2 === 0) this.socket.write(wordsFrame(PING, f.payload.readUInt32BE(0)));
        return;
      case SYN_STREAM:
        if (!this.closed) this.socket.write(wordsFrame(RST_STREAM, payloadStreamId(f.payload), REFUSED_STREAM));
        return;
      default:
      // SETTINGS, WINDOW_UPDATE, HEADERS, GOAWAY: nothing to do; the server closes the socket after GOAWAY.
    }
  }
}
