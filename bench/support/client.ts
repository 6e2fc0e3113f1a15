// An HTTPS keep-alive client for a benchmark's tugboat, authenticated with the admin client certificate.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';

/** One complete response. */
export interface Reply {
  status: number;
  body: Buffer;
}

/** Extra request headers; they override the defaults (Accept and Content-Type: application/json). */
export type Headers = Record<string, string>;

/** Requests over one keep-alive agent with at most `maxSockets` connections. */
export interface ApiClient {
  /** Sends a request (objects are sent as JSON) and buffers the whole response. */
  send(method: string, path: string, body?: unknown, headers?: Headers): Promise<Reply>;
  /** Like send, but throws unless the status is 2xx, and parses the body as JSON. */
  json<T = any>(method: string, path: string, body?: unknown, headers?: Headers): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Opens a streaming GET (a watch) and resolves with the response once its headers arrive. */
  stream(path: string): Promise<IncomingMessage>;
  /** Closes every socket of the agent. */
  close(): void;
}

/** A client for the tugboat at `server` using the admin certificate under `dataDir`/pki. */
export function apiClient(t: { server: string; dataDir: string }, maxSockets: number): ApiClient {
  const pki = join(t.dataDir, 'pki');
  const agent = new Agent({
    keepAlive: true,
    maxSockets,
    ca: readFileSync(join(pki, 'ca.crt')),
    cert: readFileSync(join(pki, 'admin.crt')),
    key: readFileSync(join(pki, 'admin.key')),
  });
  const base = new URL(t.server);
  const open = (method: string, path: string, body: unknown, extra: Headers = {}) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const headers: Record<string, string | number> = { Accept: 'application/json' };
      if (payload !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = Buffer.byteLength(payload);
      }
      Object.assign(headers, extra);
      const req = request({ agent, host: base.hostname, port: base.port, method, path, headers }, resolve);
      req.on('error', reject);
      req.end(payload);
    });
  const send = async (method: string, path: string, body?: unknown, headers?: Headers): Promise<Reply> => {
    const res = await open(method, path, body, headers);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return { status: res.statusCode ?? 0, body: Buffer.concat(chunks) };
  };
  return {
    send,
    async json(method, path, body, headers) {
      const r = await send(method, path, body, headers);
      if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${r.body.toString().slice(0, 300)}`);
      return JSON.parse(r.body.toString());
    },
    async stream(path) {
      const res = await open('GET', path, undefined);
      if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode}`);
      return res;
    },
    close: () => agent.destroy(),
  };
}
