// The API server: HTTPS, authentication, non-resource endpoints, and routing of resource requests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { OpenAPIDocuments } from '../api/openapi';
import type { ResourceInfo } from '../api/types';
import { StatusError } from '../machinery/errors';
import type { Store } from '../store/types';
import type { Clock } from '../util/clock';
import { logger } from '../util/log';
import { namespaceLifecycle } from './admission/namespace-lifecycle';
import { limitRanger } from './admission/limit-ranger';
import { cacheLister } from './admission/object-lister';
import { priority } from './admission/priority';
import { resourceQuota } from './admission/resource-quota';
import { serviceAccount } from './admission/service-account';
import { serviceAllocation, ServiceRanges } from './admission/service-allocation';
import type { AdmissionPlugin } from './admission/types';
import { anonymous, userFromCertificate, UserInfo } from './authn';
import { defaultStorageClass } from './admission/default-storage-class';
import { storageObjectInUseProtection } from './admission/storage-object-in-use-protection';
import { serviceAccountTokenAuthenticator } from './serviceaccount/authenticator';
import type { TokenKeys } from './serviceaccount/jwt';
import { tokenRequestHandler } from './serviceaccount/token-request';
import { Discovery, ExtraSubresource } from './discovery';
import type { HandlerContext, ObjectCodec, SubresourceHandler } from './handlers/context';
import { handleResource } from './handlers/resource';
import { aggregatedDiscoveryVersion } from './http/negotiate';
import { sendError, sendJSON } from './http/respond';
import { FieldManager, Registry } from './registry/registry';
import { parseRequestInfo } from './request-info';
import { objectKey, resourcePrefix, ResourceTable } from './resource-table';
import { versionInfo } from './version';
import { DEFAULT_EVENT_TTL_MS, startEventExpiry } from './event-ttl';
import { WatchCache } from './watch-cache';
import { upgradeResponse } from './websocket/upgrade';
import { localClient } from './local-client';
import { bindingHandler } from './subresources/binding';
import { evictionHandler } from './subresources/eviction';
import type { Client } from '../client/types';

const log = logger('apiserver');


export interface ApiServerOptions {
  store: Store;
  resources: ResourceInfo[];
  clock: Clock;
  tls: { cert: string; key: string; ca: string };
  codec: ObjectCodec;
  fieldManager: FieldManager;
  openapi: OpenAPIDocuments;
  ranges?: ServiceRanges;
  version: string;
  /** Extra admission plugins (quota, limit ranges…), run after the built-in ones. */
  admission?: AdmissionPlugin[];
  /** Signs service account tokens (serviceaccounts/token) and authenticates them as bearer tokens; without it, neither. */
  tokenKeys?: TokenKeys;
  /** How long an Event lives after its last write (upstream --event-ttl; default 1 h). */
  eventTTLMs?: number;
}

/** A running API server. */
export interface ApiServer {
  readonly table: ResourceTable;
  readonly registry: Registry;
  readonly cache: WatchCache;
  /** An in-process client acting as `user`, writing as field manager `manager`. */
  client(user: UserInfo, manager: string): Client;
  /** Registers a subresource handler (pods/log…) and advertises it in discovery. */
  addSubresource(sub: ExtraSubresource, handler: SubresourceHandler): void;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** Builds the API server over a started store; call listen() to serve. */
export async function createApiServer(o: ApiServerOptions): Promise<ApiServer> {
  const table = new ResourceTable(o.resources);
  const cache = new WatchCache(o.store);
  await cache.start();
  const stopEventExpiry = startEventExpiry(o.store, cache, o.clock, o.eventTTLMs ?? DEFAULT_EVENT_TTL_MS);
  const nsResource = table.lookup('', 'v1', 'namespaces')!;
  const svcResource = table.lookup('', 'v1', 'services')!;
  const list = cacheLister(table, cache);
  // Upstream's order: NamespaceLifecycle, LimitRanger, ServiceAccount, Priority, …, ResourceQuota last.
  const admission: AdmissionPlugin[] = [
    namespaceLifecycle((name) => cache.cacheFor(resourcePrefix(nsResource)).objects.get(objectKey(nsResource, '', name))?.obj),
    limitRanger(list),
    serviceAccount(list),
    priority(list),
    serviceAllocation(() => [...cache.cacheFor(resourcePrefix(svcResource)).objects.values()].map((c) => c.obj), o.ranges),
    defaultStorageClass(list),
    storageObjectInUseProtection(),
    ...(o.admission ?? []),
    resourceQuota(list, o.clock),
  ];
  const registry = new Registry({ store: o.store, cache, clock: o.clock, admission, fieldManager: o.fieldManager });
  const extra: ExtraSubresource[] = [];
  let discovery = new Discovery(table, extra);
  const ctx: HandlerContext = { table, registry, store: o.store, cache, clock: o.clock, codec: o.codec, subresources: new Map() };

  const route = async (req: IncomingMessage, res: ServerResponse, user: UserInfo): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    if (path === '/healthz' || path === '/livez' || path === '/readyz' || /^\/(healthz|livez|readyz)\/[a-z-]+$/.test(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (path === '/version') return sendJSON(res, 200, versionInfo(o.version));
    if (user === anonymous) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
    const agg = aggregatedDiscoveryVersion(req.headers.accept);
    if (method === 'GET' && (path === '/api' || path === '/apis')) {
      if (agg) {
        return sendJSON(res, 200, discovery.aggregated(path === '/api', agg), `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList`);
      }
      return sendJSON(res, 200, path === '/api' ? discovery.apiVersions() : discovery.apiGroupList());
    }
    if (method === 'GET' && path.startsWith('/openapi/')) {
      const answer = o.openapi.respond({ path, query: url.searchParams, headers: req.headers as Record<string, string> });
      if (!answer) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
      return;
    }
    const parts = path.split('/').filter(Boolean);
    if (method === 'GET' && parts[0] === 'apis' && parts.length === 2) {
      const doc = discovery.apiGroupDoc(parts[1]);
      if (doc) return sendJSON(res, 200, doc);
    }
    if (method === 'GET' && ((parts[0] === 'api' && parts.length === 2) || (parts[0] === 'apis' && parts.length === 3))) {
      const doc = parts[0] === 'api' ? discovery.resourceList('', parts[1]) : discovery.resourceList(parts[1], parts[2]);
      if (doc) return sendJSON(res, 200, doc);
    }
    const info = parseRequestInfo(method, path, url.searchParams);
    if (!info) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
    await handleResource(req, res, info, url.searchParams, user, ctx);
  };

  const tokenAuth = o.tokenKeys && serviceAccountTokenAuthenticator(o.tokenKeys, table, registry, o.clock);
  const authenticate = async (req: IncomingMessage): Promise<UserInfo> =>
    userFromCertificate(req.socket as TLSSocket) ?? (await tokenAuth?.(req)) ?? anonymous;

  const server: Server = createServer(
    { cert: o.tls.cert, key: o.tls.key, ca: o.tls.ca, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      authenticate(req)
        .then((user) => route(req, res, user))
        .catch((err) => sendError(res, err, { method: req.method, url: req.url }));
    },
  );
  // exec, attach and portforward arrive as upgrades (WebSocket or SPDY): routed like any request, with the same authentication.
  // Upgraded connections leave the server's bookkeeping, so close() ends them itself (a tunnel must not outlive the server).
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const res = upgradeResponse(req, socket, head);
    authenticate(req)
      .then((user) => route(req, res, user))
      .catch((err) => sendError(res, err, { method: req.method, url: req.url }));
  });
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (err, socket) => {
    log.debug('client error', { err: err.message });
    socket.destroy();
  });

  const api: ApiServer = {
    table,
    registry,
    cache,
    client: (user, manager) => localClient(ctx, user, manager),
    addSubresource(sub, handler) {
      extra.push(sub);
      discovery = new Discovery(table, extra);
      ctx.subresources.set(`${sub.group}/${sub.resource}/${sub.subresource}`, handler);
    },
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      stopEventExpiry();
      cache.stop();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      });
    },
  };
  api.addSubresource({ group: '', version: 'v1', resource: 'pods', subresource: 'binding', kind: 'Binding', verbs: ['create'] }, bindingHandler);
  api.addSubresource(
    { group: '', version: 'v1', resource: 'pods', subresource: 'eviction', kind: 'Eviction', responseGroup: 'policy', responseVersion: 'v1', verbs: ['create'] },
    evictionHandler(),
  );
  if (o.tokenKeys) {
    api.addSubresource(
      { group: '', version: 'v1', resource: 'serviceaccounts', subresource: 'token', kind: 'TokenRequest', responseGroup: 'authentication.k8s.io', responseVersion: 'v1', verbs: ['create'] },
      tokenRequestHandler(o.tokenKeys),
    );
  }
  return api;
}
