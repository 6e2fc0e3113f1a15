// HTTP upgrades on the API server: a response object over the raw socket, protocol negotiation, taking the socket.
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A response for a request that arrived as an upgrade: handlers answer errors with it as usual, or take its socket
 * to switch protocols. Any plain answer ends the connection.
 */
export function upgradeResponse(req: IncomingMessage, socket: Duplex, head: Buffer): ServerResponse {
  if (head.length) socket.unshift(head);
  const res = new ServerResponse(req);
  res.assignSocket(socket as Socket);
  res.shouldKeepAlive = false;
  res.on('finish', () => socket.end());
  return res;
}

/** Which protocol a request asks to switch to: a WebSocket, a SPDY/3.1 connection, or none. */
export function upgradeKind(req: IncomingMessage): 'websocket' | 'spdy' | undefined {
  const up = (req.headers.upgrade ?? '').toLowerCase();
  if (up === 'websocket') return 'websocket';
  if (up.startsWith('spdy/')) return 'spdy';
  return undefined;
}

/** The first WebSocket subprotocol the client offers that `supported` has (the client lists in its preference order). */
export function negotiateSubprotocol(req: IncomingMessage, supported: string[]): string | undefined {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  return offered.find((p) => supported.includes(p));
}

/** Takes the socket away from the response: from here on the caller owns the connection. */
export function takeSocket(res: ServerResponse): Socket {
  const socket = res.socket as Socket;
  res.detachSocket(socket);
  res.removeAllListeners('finish');
  return socket;
}

/** Completes a WebSocket handshake with `protocol` on the upgrade behind `res`. */
export function acceptWebSocket(req: IncomingMessage, res: ServerResponse, protocol: string): Promise<WebSocket> {
  // ws refuses subprotocols that are not RFC 7230 tokens, and kubectl's "SPDY/3.1+portforward.k8s.io" has a '/':
  // negotiation is ours, so ws sees no offer and we name the chosen protocol in its 101 response.
  delete req.headers['sec-websocket-protocol'];
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  wss.on('headers', (headers: string[]) => headers.push(`Sec-WebSocket-Protocol: ${protocol}`));
  return new Promise((resolve) => wss.handleUpgrade(req, takeSocket(res), Buffer.alloc(0), resolve));
}
