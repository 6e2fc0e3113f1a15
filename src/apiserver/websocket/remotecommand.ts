// exec/attach over WebSocket (channel.k8s.io v4/v5) relayed to the runtime's SPDY streams, as upstream's stream translator.
import type { WebSocket } from 'ws';
import type { StreamOptions } from '../../kubelet/streaming';
import { logger } from '../../util/log';
import type { UpgradedConnection } from './dial';
import { SpdyClient } from './spdy-client';

const log = logger('apiserver');

/** WebSocket subprotocols we serve for exec and attach, best first: v5 adds the CLOSE signal (stdin EOF). */
export const REMOTECOMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
/** The SPDY remotecommand protocol we ask the runtime for (its error stream carries a v1 Status). */
export const SPDY_REMOTECOMMAND_PROTOCOL = 'v4.channel.k8s.io';

/** Channel numbers: the first byte of every WebSocket message. */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;
/** v5: a message [255, channel] half-closes that channel. */
export const CLOSE_CHANNEL = 255;

type StreamType = keyof typeof CHANNEL;

/** What one message from the client means. */
export type ChannelMessage = { kind: 'data'; channel: number; data: Buffer } | { kind: 'close'; channel: number };

/** Reads a client message; undefined for an empty one. `v5` decides whether 255 is the CLOSE signal. */
export function parseChannelMessage(msg: Buffer, v5: boolean): ChannelMessage | undefined {
  if (!msg.length) return undefined;
  if (v5 && msg[0] === CLOSE_CHANNEL) return msg.length >= 2 ? { kind: 'close', channel: msg[1] } : undefined;
  return { kind: 'data', channel: msg[0], data: msg.subarray(1) };
}

/** A message carrying `data` on `channel`. */
export function channelMessage(channel: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

/** The SPDY streams a kubelet expects for these options, in the order client-go opens them: error first, resize with a TTY. */
export function spdyStreamTypes(o: StreamOptions): StreamType[] {
  const types: StreamType[] = ['error'];
  if (o.stdin) types.push('stdin');
  if (o.stdout) types.push('stdout');
  if (o.stderr) types.push('stderr');
  if (o.tty) types.push('resize');
  return types;
}

/** Bytes queued towards the client past which we stop reading from the runtime. */
const HIGH_WATER = 1 << 20;

/**
 * Relays one exec/attach session: opens the kubelet's SPDY streams on the runtime connection `conn`, then copies stdin/resize from the
 * WebSocket to them and stdout/stderr/error back. The session ends when the runtime finishes the error stream
 * (it writes the exit Status there last) or either side goes away.
 */
export async function relayRemoteCommand(ws: WebSocket, protocol: string, conn: Pick<UpgradedConnection, 'socket' | 'head'>, o: StreamOptions, obj: string): Promise<void> {
  const v5 = protocol.startsWith('v5.');
  const toChannel = new Map<number, number>();
  const toStream = new Map<number, number>();
  let finished = false;
  let queued = 0;
  const spdy: SpdyClient = new SpdyClient(conn.socket, conn.head, {
    data(id, data) {
      const ch = toChannel.get(id);
      if (ch === undefined || finished) return;
      queued += data.length;
      if (queued > HIGH_WATER) spdy.pause(true);
      ws.send(channelMessage(ch, data), () => {
        queued -= data.length;
        if (queued <= HIGH_WATER / 2) spdy.pause(false);
      });
    },
    fin(id) {
      if (toChannel.get(id) === CHANNEL.error) finish();
    },
    close: () => finish(),
  });
  const finish = () => {
    if (finished) return;
    finished = true;
    ws.close(1000);
    spdy.close();
  };
  // Hold client input until every stream exists: the runtime drops data for streams it has not replied to.
  ws.pause();
  ws.on('close', finish);
  ws.on('error', finish);
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const m = isBinary ? parseChannelMessage(raw, v5) : undefined;
    const id = m && toStream.get(m.channel);
    if (!m || id === undefined) return;
    if (m.kind === 'close') return spdy.end(id);
    if (!spdy.write(id, m.data)) {
      ws.pause();
      spdy.drain(() => ws.resume());
    }
  });
  try {
    for (const type of spdyStreamTypes(o)) {
      const id = await spdy.open([['streamtype', type]]);
      toChannel.set(id, CHANNEL[type]);
      toStream.set(CHANNEL[type], id);
    }
  } catch (e) {
    log.warn('exec streams not opened', { obj, err: (e as Error).message });
    return finish();
  }
  ws.resume();
}
