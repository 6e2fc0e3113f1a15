// Unary gRPC calls over one HTTP/2 connection to a unix socket: all the CRI needs (every CRI RPC is unary). grpc-js's
// channel machinery (resolver, load balancer, interceptors, call credentials) cost ~0.8 ms of CPU per call, measured
// against a containerd; the kubelet makes a dozen calls per pod start and relists every second.
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import { connect as netConnect } from 'node:net';

/** How one RPC is named and coded (what @grpc/proto-loader gives per method). */
export interface UnaryMethod {
  path: string;
  requestSerialize(value: unknown): Buffer;
  responseDeserialize(bytes: Buffer): unknown;
}

/** gRPC status codes this transport produces itself. */
const UNKNOWN = 2;
const DEADLINE_EXCEEDED = 4;
const INTERNAL = 13;
const UNAVAILABLE = 14;

/** A failed call: the gRPC status and the server's (or the transport's) message. */
export class GrpcStatusError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(details);
  }
}

/** The body of a gRPC message frame: 1 byte compressed flag, 4 bytes length, the message. */
export function grpcFrame(message: Buffer): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
}

/** The single message of a unary response body; throws on a compressed or cut frame. */
export function unframe(body: Buffer): Buffer {
  if (body.length < 5) throw new GrpcStatusError(INTERNAL, 'response message missing');
  if (body[0] !== 0) throw new GrpcStatusError(INTERNAL, 'compressed response message (none was accepted)');
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) throw new GrpcStatusError(INTERNAL, `response message cut short (${body.length - 5} of ${length} bytes)`);
  return body.subarray(5, 5 + length);
}

// grpc-message is percent-encoded (gRPC over HTTP/2 spec).
function statusMessage(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** One connection (made on first use, remade after it drops) carrying unary calls. */
export class UnaryChannel {
  private session?: ClientHttp2Session;
  private inFlight = 0;
  private closed = false;

  constructor(private readonly socketPath: string) {}

  /** Calls `method` with `request`; rejects with GrpcStatusError, DeadlineExceeded after `timeoutMs`. */
  call(method: UnaryMethod, request: unknown, timeoutMs: number): Promise<unknown> {
    if (this.closed) return Promise.reject(new GrpcStatusError(UNAVAILABLE, 'channel closed'));
    const session = this.connection();
    const headers: Record<string, string> = {
      ':method': 'POST',
      ':path': method.path,
      'content-type': 'application/grpc',
      te: 'trailers',
    };
    if (Number.isFinite(timeoutMs)) headers['grpc-timeout'] = `${Math.max(1, Math.ceil(timeoutMs))}m`;
    return new Promise((resolve, reject) => {
      this.hold();
      let done = false;
      const finish = (err: GrpcStatusError | undefined, value?: unknown) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        this.release();
        if (err) reject(err);
        else resolve(value);
      };
      let stream: ClientHttp2Stream;
      try {
        stream = session.request(headers);
      } catch (e) {
        this.session = undefined;
        finish(new GrpcStatusError(UNAVAILABLE, (e as Error).message));
        return;
      }
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            stream.close(constants.NGHTTP2_CANCEL);
            finish(new GrpcStatusError(DEADLINE_EXCEEDED, 'Deadline exceeded'));
          }, timeoutMs)
        : undefined;
      timer?.unref();
      const chunks: Buffer[] = [];
      let status: string | undefined;
      let message: unknown;
      let httpStatus = 0;
      stream.on('response', (h) => {
        httpStatus = Number(h[':status']);
        // A trailers-only response carries the status in its headers.
        if (h['grpc-status'] !== undefined) {
          status = String(h['grpc-status']);
          message = h['grpc-message'];
        }
      });
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('trailers', (t) => {
        status = String(t['grpc-status']);
        message = t['grpc-message'];
      });
      stream.on('error', (e: Error) => finish(new GrpcStatusError(UNAVAILABLE, e.message)));
      stream.on('close', () => {
        if (status === undefined) {
          finish(new GrpcStatusError(httpStatus && httpStatus !== 200 ? UNKNOWN : UNAVAILABLE, httpStatus && httpStatus !== 200 ? `HTTP status ${httpStatus}` : 'connection closed before the call ended'));
        } else if (status !== '0') {
          finish(new GrpcStatusError(Number(status), statusMessage(message)));
        } else {
          try {
            finish(undefined, method.responseDeserialize(unframe(Buffer.concat(chunks))));
          } catch (e) {
            finish(e instanceof GrpcStatusError ? e : new GrpcStatusError(INTERNAL, (e as Error).message));
          }
        }
      });
      stream.end(grpcFrame(method.requestSerialize(request)));
    });
  }

  /** Closes the connection; calls in flight fail with Unavailable. */
  close(): void {
    this.closed = true;
    this.session?.destroy();
    this.session = undefined;
  }

  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect('http://localhost', { createConnection: () => netConnect(this.socketPath) });
    // A dropped connection (the runtime restarting) fails its calls; the next call connects again.
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    if (this.inFlight === 0) session.unref();
    this.session = session;
    return session;
  }

  // An idle connection does not keep the process alive; one with calls in flight does.
  private hold(): void {
    if (this.inFlight++ === 0) this.session?.ref();
  }

  private release(): void {
    if (--this.inFlight === 0) this.session?.unref();
  }
}
