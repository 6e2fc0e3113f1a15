// Joins a client to a runtime streaming connection byte for byte: SPDY clients directly, or SPDY tunnelled in WebSocket messages.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { UpgradedConnection } from './dial';

/** The request headers a SPDY upgrade needs end to end (repeated names kept apart, as the runtime negotiates on each). */
export function upgradeHeaders(req: IncomingMessage): string[] {
  const keep = new Set(['connection', 'upgrade', 'x-stream-protocol-version']);
  const out: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (keep.has(req.rawHeaders[i].toLowerCase())) out.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  return out;
}

/** The 101 response head to pass on to the client, with the runtime's headers (negotiated protocol version). */
export function switchingProtocolsHead(res: IncomingMessage): string {
  const lines = ['HTTP/1.1 101 Switching Protocols'];
  for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

/** Answers a SPDY client with the runtime's 101 and pipes the two connections together. */
export function spliceSpdy(client: Socket, conn: UpgradedConnection): void {
  client.write(switchingProtocolsHead(conn.response));
  if (conn.head.length) client.write(conn.head);
  conn.socket.pipe(client).on('error', () => conn.socket.destroy());
  client.pipe(conn.socket).on('error', () => client.destroy());
  client.on('close', () => conn.socket.destroy());
  conn.socket.on('close', () => client.destroy());
}

/** Bytes queued towards the client past which we stop reading from the runtime. */
const HIGH_WATER = 1 << 20;

/** Carries a runtime's SPDY bytes in binary WebSocket messages each way (kubectl's port-forward tunnel). */
export function tunnelWebSocket(ws: WebSocket, conn: Pick<UpgradedConnection, 'socket' | 'head'>): void {
  const { socket } = conn;
  let queued = 0;
  const toClient = (data: Buffer) => {
    queued += data.length;
    if (queued > HIGH_WATER) socket.pause();
    ws.send(data, () => {
      queued -= data.length;
      if (queued <= HIGH_WATER / 2) socket.resume();
    });
  };
  if (conn.head.length) toClient(conn.head);
  socket.on('data', toClient);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return ws.close(1003, 'binary messages only');
    if (!socket.write(data)) {
      ws.pause();
      socket.once('drain', () => ws.resume());
    }
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => ws.close(1000));
  ws.on('close', () => socket.destroy());
  ws.on('error', () => socket.destroy());
}
