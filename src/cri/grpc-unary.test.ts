// The unary gRPC transport against a small HTTP/2 server on a unix socket: replies, statuses, deadlines, reconnects.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GrpcStatusError, UnaryChannel, grpcFrame, unframe, type UnaryMethod } from './grpc-unary';

// A method whose messages are UTF-8 strings.
const echo: UnaryMethod = { path: '/test.Echo/Say', requestSerialize: (v) => Buffer.from(String(v)), responseDeserialize: (b) => b.toString() };

function serve(path: string, handle: (stream: ServerHttp2Stream, body: string, headers: Record<string, unknown>) => void): Promise<Http2Server> {
  const server = createServer();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => handle(stream, unframe(Buffer.concat(chunks)).toString(), headers));
  });
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}

const reply = (stream: ServerHttp2Stream, text: string) => {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(grpcFrame(Buffer.from(text)));
};

describe('UnaryChannel', () => {
  let dir: string;
  let sock: string;
  let server: Http2Server;
  let seenTimeout: unknown;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tugboat-grpc-'));
    sock = join(dir, 's.sock');
    server = await serve(sock, (stream, body, headers) => {
      seenTimeout = headers['grpc-timeout'];
      if (body === 'missing') {
        // Trailers-only: the status in the response headers, percent-encoded message.
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'container %22x%22 not found' }, { endStream: true });
      } else if (body === 'slow') {
        setTimeout(() => !stream.closed && reply(stream, 'late'), 500);
      } else reply(stream, `hello ${body}`);
    });
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a framed request with the deadline and decodes the reply', async () => {
    const ch = new UnaryChannel(() => netConnect(sock));
    assert.equal(await ch.call(echo, 'there', 2000), 'hello there');
    assert.equal(seenTimeout, '2000m');
    // Calls at once share the connection.
    assert.deepEqual(await Promise.all(['a', 'b', 'c'].map((x) => ch.call(echo, x, 2000))), ['hello a', 'hello b', 'hello c']);
    ch.close();
  });

  it('turns a status into GrpcStatusError with the decoded message', async () => {
    const ch = new UnaryChannel(() => netConnect(sock));
    await assert.rejects(ch.call(echo, 'missing', 2000), (e) => e instanceof GrpcStatusError && e.code === 5 && e.details === 'container "x" not found');
    ch.close();
  });

  it('gives up at the deadline with DeadlineExceeded', async () => {
    const ch = new UnaryChannel(() => netConnect(sock));
    await assert.rejects(ch.call(echo, 'slow', 50), (e) => e instanceof GrpcStatusError && e.code === 4 && !e.unconnected);
    assert.equal(await ch.call(echo, 'after', 2000), 'hello after', 'the connection still serves');
    ch.close();
  });

  it('fails with Unavailable while nothing listens, and connects once something does', async () => {
    const other = join(dir, 'later.sock');
    const ch = new UnaryChannel(() => netConnect(other));
    await assert.rejects(ch.call(echo, 'x', 2000), (e) => e instanceof GrpcStatusError && e.code === 14 && e.unconnected);
    const late = await serve(other, (stream, body) => reply(stream, `late ${body}`));
    try {
      assert.equal(await ch.call(echo, 'x', 2000), 'late x');
    } finally {
      ch.close();
      late.close();
    }
  });

  it('rejects a reply frame that is cut short or compressed', () => {
    assert.throws(() => unframe(Buffer.from([0, 0, 0, 0, 9, 1])), /cut short/);
    assert.throws(() => unframe(Buffer.from([1, 0, 0, 0, 0])), /compressed/);
  });
});
