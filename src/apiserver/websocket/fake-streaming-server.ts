// Test double of a runtime streaming server (containerd's): SPDY exec sessions with scripted commands, and port forwarding.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { constants, inflateSync } from 'node:zlib';
import type { StreamOptions } from '../../kubelet/streaming';
import { spdyStreamTypes } from './remotecommand';
import { SPDY3_DICTIONARY } from './spdy-dictionary';
import { dataFrames, FLAG_FIN, HeaderCompressor, parseHeaderBlock, payloadStreamId, SpdyFrameParser, SYN_STREAM, synReplyFrame } from './spdy-frames';

/** What one exec URL runs: `cat` echoes stdin, `exit N` fails with code N, `resize` prints resize messages, else echo. */
export interface FakeSession {
  kind: 'exec' | 'portforward';
  command: string[];
  /** The streams of an exec session: the script starts once the client has opened all of them. */
  streams?: StreamOptions;
}

/** Reads a peer's header blocks: one zlib stream per connection, inflated whole each time (fine for tests). */
class HeaderDecompressor {
  private input = Buffer.alloc(0);
  private produced = 0;

  decompress(block: Buffer): [string, string][] {
    this.input = Buffer.concat([this.input, block]);
    const all = inflateSync(this.input, { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    const out = all.subarray(this.produced);
    this.produced = all.length;
    return parseHeaderBlock(out);
  }
}

const SUCCESS = JSON.stringify({ metadata: {}, status: 'Success' });
const exitStatus = (code: number, cmd: string[]) =>
  JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${cmd.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });

/** Serves one SPDY connection of a session. */
function serveSpdy(socket: Socket, session: FakeSession, seen: [string, string][][]): void {
  const parser = new SpdyFrameParser();
  const inflater = new HeaderDecompressor();
  const compressor = new HeaderCompressor();
  const byType = new Map<string, number>();
  const typeOf = new Map<number, string>();
  const conns = new Map<number, Socket>();
  const write = (type: string, text: string | Buffer, fin = false) => {
    const id = byType.get(type);
    if (id !== undefined) socket.write(dataFrames(id, Buffer.from(text), fin));
  };
  const finish = (status: string) => {
    write('stdout', '', true);
    write('error', status, true);
    socket.end();
  };
  const [cmd, ...args] = session.command;
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    for (const f of parser.push(chunk)) {
      if (f.control && f.type === SYN_STREAM) {
        const id = payloadStreamId(f.payload);
        const headers = inflater.decompress(f.payload.subarray(10));
        seen.push(headers);
        const type = headers.find(([n]) => n === 'streamtype')?.[1] ?? '';
        byType.set(type, id);
        typeOf.set(id, type);
        socket.write(synReplyFrame(id, compressor.compress([])));
        if (session.kind === 'portforward' && type === 'data') {
          const port = Number(headers.find(([n]) => n === 'port')?.[1]);
          const c = connect(port, '127.0.0.1');
          conns.set(id, c);
          c.on('data', (d: Buffer) => socket.write(dataFrames(id, d, false)));
          c.on('end', () => socket.write(dataFrames(id, Buffer.alloc(0), true)));
          c.on('error', () => c.destroy());
        }
        const all = session.streams && spdyStreamTypes(session.streams).every((t) => byType.has(t));
        if (all && cmd === 'exit') finish(exitStatus(Number(args[0]), session.command));
        if (all && cmd === 'echo') {
          write('stdout', args.join(' ') + '\n');
          finish(SUCCESS);
        }
        continue;
      }
      if (f.control) continue;
      const type = typeOf.get(f.streamId);
      if (session.kind === 'portforward') {
        const c = conns.get(f.streamId);
        if (c && f.data.length) c.write(f.data);
        if (c && f.flags & FLAG_FIN) c.end();
        continue;
      }
      if (type === 'stdin' && cmd === 'cat') {
        if (f.data.length) write('stdout', f.data);
        if (f.flags & FLAG_FIN) finish(SUCCESS);
      }
      if (type === 'resize' && cmd === 'resize') {
        write('stdout', f.data.toString() + '\n');
        finish(SUCCESS);
      }
    }
  });
}

/** A running fake streaming server. */
export interface FakeStreamingServer {
  /** A one-time URL for a session, as CRI Exec/Attach/PortForward would return. */
  url(session: FakeSession): string;
  /** The headers of every SPDY stream clients opened, in order. */
  streams: [string, string][][];
  /** The X-Stream-Protocol-Version values of each upgrade request. */
  protocols: string[][];
  close(): Promise<void>;
}

/** Starts the fake on loopback; it accepts SPDY/3.1 upgrades only, like the runtime's server. */
export async function startFakeStreamingServer(): Promise<FakeStreamingServer> {
  const sessions = new Map<string, FakeSession>();
  const streams: [string, string][][] = [];
  const protocols: string[][] = [];
  let next = 0;
  const server: Server = createServer((_req, res) => {
    res.writeHead(400);
    res.end('upgrade required');
  });
  const open = new Set<Socket>();
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    const session = sessions.get(req.url ?? '');
    sessions.delete(req.url ?? '');
    const offered: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === 'x-stream-protocol-version') offered.push(req.rawHeaders[i + 1]);
    protocols.push(offered);
    const want = session?.kind === 'portforward' ? 'portforward.k8s.io' : 'v4.channel.k8s.io';
    if (!session || !offered.includes(want)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 15\r\n\r\nsession unknown');
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${want}\r\n\r\n`);
    serveSpdy(socket, session, streams);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url(session) {
      const path = `/${session.kind}/token${next++}`;
      sessions.set(path, session);
      return `http://127.0.0.1:${port}${path}`;
    },
    streams,
    protocols,
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
