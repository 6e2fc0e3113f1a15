// The Client interface over HTTPS, for processes outside the API server (the CLI, agents), configured by a kubeconfig.
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { KObject } from '../api/types';
import { StatusError } from '../machinery/errors';
import { onLines } from './json-lines';
import type { Client, GVR, ListOptions, PatchType, ResourceClient, WatchEvent } from './types';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Where to reach the API server and how to authenticate. */
export interface Endpoint {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
}

const fromB64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64') : undefined);
const fromFile = (p: string | undefined) => (p ? readFileSync(p) : undefined);

/** Reads the current context of a kubeconfig file. */
export function endpointFromKubeconfig(path: string): Endpoint {
  const cfg = YAML.parse(readFileSync(path, 'utf8'));
  const ctxName = cfg['current-context'];
  const ctx = cfg.contexts?.find((c: { name: string }) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`kubeconfig ${path} has no current context`);
  const cluster = cfg.clusters?.find((c: { name: string }) => c.name === ctx.cluster)?.cluster;
  const user = cfg.users?.find((u: { name: string }) => u.name === ctx.user)?.user ?? {};
  if (!cluster?.server) throw new Error(`kubeconfig ${path}: cluster "${ctx.cluster}" has no server`);
  return {
    server: cluster.server,
    ca: fromB64(cluster['certificate-authority-data']) ?? fromFile(cluster['certificate-authority']),
    cert: fromB64(user['client-certificate-data']) ?? fromFile(user['client-certificate']),
    key: fromB64(user['client-key-data']) ?? fromFile(user['client-key']),
    token: user.token,
  };
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A client talking HTTPS to `ep`, writing as field manager `manager`. */
export function httpClient(ep: Endpoint, manager: string): Client {
  const agent = new Agent({ keepAlive: true, ca: ep.ca, cert: ep.cert, key: ep.key, maxSockets: 32 });
  const headers = (extra: Record<string, string> = {}) => ({
    Accept: 'application/json',
    'User-Agent': `${manager}/tugboat`,
    ...(ep.token ? { Authorization: `Bearer ${ep.token}` } : {}),
    ...extra,
  });

  const send = (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KObject> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = request(new URL(path, ep.server), { method, agent, headers: headers(payload ? { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(payload)) } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: KObject | undefined;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const code = res.statusCode ?? 0;
          if (code >= 400) {
            const st = json as unknown as { reason?: string; message?: string; details?: object } | undefined;
            reject(new StatusError(code, st?.reason ?? '', st?.message ?? text.trim(), st?.details));
          } else resolve(json as KObject);
        });
      });
      req.on('error', (e) => reject(new StatusError(503, 'ServiceUnavailable', `cannot reach the API server at ${ep.server}: ${e.message}`)));
      if (payload) req.write(payload);
      req.end();
    });

  return {
    resource<T extends KObject>(gvr: GVR): ResourceClient<T> {
      const base = gvr.group ? `/apis/${gvr.group}/${gvr.version}` : `/api/${gvr.version}`;
      const coll = (ns: string) => (ns ? `${base}/namespaces/${encodeURIComponent(ns)}/${gvr.resource}` : `${base}/${gvr.resource}`);
      const item = (ns: string, name: string) => `${coll(ns)}/${encodeURIComponent(name)}`;
      const w = (o?: { dryRun?: boolean; fieldManager?: string }) => ({ fieldManager: o?.fieldManager ?? manager, dryRun: o?.dryRun ? 'All' : undefined });
      return {
        get: (ns, name) => send('GET', item(ns, name)) as Promise<T>,
        async list(ns, opts: ListOptions = {}) {
          const res = await send('GET', coll(ns) + query({ ...opts }));
          return { items: res.items as T[], resourceVersion: res.metadata.resourceVersion!, continue: (res.metadata as { continue?: string }).continue };
        },
        create: (ns, obj, opts) => send('POST', coll(ns) + query(w(opts)), obj) as Promise<T>,
        update: (ns, obj, opts) => send('PUT', item(ns, obj.metadata.name!) + query(w(opts)), obj) as Promise<T>,
        updateStatus: (ns, obj, opts) => send('PUT', `${item(ns, obj.metadata.name!)}/status` + query(w(opts)), obj) as Promise<T>,
        patch: (ns, name, type, patch, opts = {}) =>
          send('PATCH', item(ns, name) + (opts.subresource ? `/${opts.subresource}` : '') + query({ ...w(opts), force: opts.force ? true : undefined }), patch, PATCH_CONTENT_TYPES[type]) as Promise<T>,
        async delete(ns, name, opts = {}) {
          await send('DELETE', item(ns, name) + query({ dryRun: opts.dryRun ? 'All' : undefined }), { kind: 'DeleteOptions', apiVersion: 'v1', ...opts, dryRun: undefined });
        },
        createSubresource: (ns, name, sub, body, opts) => send('POST', `${item(ns, name)}/${sub}` + query(w(opts)), body),
        watch(ns, opts, onEvent, onClose) {
          let stopped = false;
          const req = request(new URL(coll(ns) + query({ ...opts, watch: 1, allowWatchBookmarks: true }), ep.server), { agent, headers: headers() }, (res) => {
            if ((res.statusCode ?? 0) >= 400) {
              res.resume();
              if (!stopped) onClose(`watch failed with HTTP ${res.statusCode}`);
              return;
            }
            onLines(res, (line) => {
              if (stopped) return;
              const ev = JSON.parse(line) as { type: string; object: KObject };
              if (ev.type === 'ERROR') {
                stopped = true;
                req.destroy();
                onClose((ev.object as unknown as { message?: string }).message ?? 'watch error');
                return;
              }
              if (ev.type !== 'BOOKMARK') onEvent(ev as WatchEvent<T>);
            });
            res.on('end', () => !stopped && onClose('watch ended'));
          });
          req.on('error', (e) => !stopped && onClose(e.message));
          req.end();
          return {
            stop() {
              stopped = true;
              req.destroy();
            },
          };
        },
      };
    },
  };
}

/** A client for the current context of the kubeconfig at `path`. */
export function httpClientFromKubeconfig(path: string, manager: string): Client {
  return httpClient(endpointFromKubeconfig(path), manager);
}
