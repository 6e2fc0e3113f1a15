// Unary gRPC calls over one plaintext HTTP/2 connection: all the CRI needs (every CRI RPC is unary) and the grpc probe's
// health check. grpc-js's channel machinery (resolver, load balancer, interceptors, call credentials) cost ~0.8 ms of
// CPU per call, measured against a containerd; the kubelet makes a dozen calls per pod start and relists every second.
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import type { Duplex } from 'node:stream';

/** How one RPC is named and coded (what @grpc/proto-loader gives per method). */
export interface UnaryMethod {
  path: string;
  requestSerialize(value: unknown): Buffer;
  responseDeserialize(bytes: Buffer): unknown;
}

/** gRPC status codes by name, and the names as Go prints them ("rpc error: code = NotFound desc = …"). */
export const GrpcCode = { Unknown: 2, DeadlineExceeded: 4, NotFound: 5, Unimplemented: 12, Internal: 13, Unavailable: 14 } as const;
export const GRPC_CODE_NAMES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable',
  'DataLoss', 'Unauthenticated',
];
const { Unknown: UNKNOWN, DeadlineExceeded: DEADLINE_EXCEEDED, Internal: INTERNAL, Unavailable: UNAVAILABLE } = GrpcCode;

/** A failed call: the gRPC status and the server's (or the transport's) message; `unconnected` when no connection was made. */
export class GrpcStatusError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
    readonly unconnected = false,
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
  private connected = false;
  private inFlight = 0;
  private closed = false;

  /** `dial` opens the byte stream (a unix or TCP socket); `authority` and `headers` go with every call. */
  constructor(
    private readonly dial: () => Duplex,
    private readonly authority = 'localhost',
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  /** Calls `method` with `request`; rejects with GrpcStatusError, DeadlineExceeded after `timeoutMs`. */
  call(method: UnaryMethod, request: unknown, timeoutMs: number): Promise<unknown> {
    if (this.closed) return Promise.reject(new GrpcStatusError(UNAVAILABLE, 'channel closed'));
    const session = this.connection();
    const headers: Record<string, string> = {
      ...this.headers,
      ':method': 'POST',
      ':path': method.path,
      'content-type': 'application/grpc',
      te: 'trailers',
    };
    if (Number.isFinite(timeoutMs)) headers['grpc-timeout'] = `${Math.max(1, Math.ceil(timeoutMs))}m`;
    return new Promise((resolve, reject) => {
      this.hold();
      let done = false;
      let timer: NodeJS.Timeout | undefined;
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
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          stream.close(constants.NGHTTP2_CANCEL);
          finish(new GrpcStatusError(DEADLINE_EXCEEDED, 'Deadline exceeded', !this.connected));
        }, timeoutMs);
        timer.unref();
      }
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
      stream.on('error', (e: Error) => finish(new GrpcStatusError(UNAVAILABLE, e.message, !this.connected)));
      stream.on('close', () => {
        if (status === undefined) {
          if (httpStatus && httpStatus !== 200) finish(new GrpcStatusError(UNKNOWN, `HTTP status ${httpStatus}`));
          else finish(new GrpcStatusError(UNAVAILABLE, 'connection closed before the call ended', !this.connected));
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
    const session = connect(`http://${this.authority}`, { createConnection: () => this.dial() });
    this.connected = false;
    session.once('connect', () => {
      if (this.session === session) this.connected = true;
    });
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
