// Upgrades a connection to a runtime's streaming server (containerd's exec/attach/portforward URLs).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';

/** A connection the streaming server switched protocols on. */
export interface UpgradedConnection {
  socket: Socket;
  /** Bytes that arrived with the 101 response. */
  head: Buffer;
  response: IncomingMessage;
}

/** The streaming server answered without switching protocols. */
export class UpgradeRefused extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: string,
  ) {
    super(`streaming server answered ${statusCode}: ${body.trim()}`);
  }
}

/** Sends an upgrade request with `headers` (raw [name, value, …] pairs, so repeated names stay separate) to `url`. */
export function dialUpgrade(url: string, method: string, headers: string[]): Promise<UpgradedConnection> {
  return new Promise((resolve, reject) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    // The runtime's streaming server listens on loopback; its TLS (when enabled) uses a self-signed certificate.
    // A raw header array turns off Node's automatic Host header, which the streaming server requires.
    // Content-Length 0 too: without it Node sends a chunked POST, and the chunk terminator would reach the runtime as
    // the first bytes of the SPDY session.
    const has = (name: string) => headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === name);
    const withHost = [...(has('host') ? [] : ['Host', new URL(url).host]), ...(has('content-length') ? [] : ['Content-Length', '0']), ...headers];
    const req = request(url, { method, headers: withHost, rejectUnauthorized: false });
    req.on('upgrade', (response, socket, head) => resolve({ socket, head, response }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => reject(new UpgradeRefused(res.statusCode ?? 0, Buffer.concat(chunks).toString())));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
