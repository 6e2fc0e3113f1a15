// Serves the OpenAPI documents: built on first request, serialized once, with upstream's negotiation, ETags and hash URLs.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { StatusError } from '../../machinery/errors';
import type { ResourceInfo } from '../types';
import { loadDefinitions } from './definitions';
import { buildOpenAPIV3 } from './openapi-v3';
import { groupVersionPath, servedGroupVersions } from './operations';
import type { Definitions } from './spec';
import { buildSwaggerV2 } from './swagger-v2';

/** A serialized document and its hash (upstream's ETag: the SHA-512 of the body in upper-case hex). */
export interface ServedDocument {
  contentType: string;
  body: string;
  etag: string;
}

/** The parts of an HTTP request that respond() looks at. */
export interface OpenAPIRequest {
  /** The URL path, e.g. /openapi/v3/apis/apps/v1. */
  path: string;
  query?: URLSearchParams;
  headers?: { accept?: string; 'accept-encoding'?: string; 'if-none-match'?: string };
}

/** A complete HTTP answer. */
export interface OpenAPIResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The OpenAPI documents of one set of served resources. */
export interface OpenAPIDocuments {
  /** GET /openapi/v2 as JSON. */
  v2(): ServedDocument;
  /** GET /openapi/v3: {"paths": {"apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=…"}}}. */
  v3Index(): ServedDocument;
  /** GET /openapi/v3/<path>, `path` like "api/v1" or "apis/apps/v1"; undefined when not served. */
  v3(path: string): ServedDocument | undefined;
  /** Answers any /openapi/v2 or /openapi/v3… request as upstream's handlers do; undefined for other paths. */
  respond(req: OpenAPIRequest): OpenAPIResponse | undefined;
}

/** Options of openapiDocuments. */
export interface OpenAPIOptions {
  /** The Kubernetes gitVersion shown as info.version, e.g. v1.32.4. */
  version: string;
  /** Defaults to the build's definitions.json. */
  definitions?: Definitions;
}

/** Documents for `resources`, each built and serialized on its first request only. */
export function openapiDocuments(resources: ResourceInfo[], options: OpenAPIOptions): OpenAPIDocuments {
  const defs = () => options.definitions ?? loadDefinitions();
  const gvs = new Map(servedGroupVersions(resources).map((gv) => [groupVersionPath(gv).slice(1), gv]));
  const once = <T>(make: () => T): (() => T) => {
    let v: T | undefined;
    return () => (v ??= make());
  };
  const v2 = once(() => served(buildSwaggerV2(defs(), resources, options.version)));
  const v3Docs = new Map([...gvs].map(([path, gv]) => [path, once(() => served(buildOpenAPIV3(defs(), resources, gv, options.version)))]));
  const v3 = (path: string) => v3Docs.get(path)?.();
  const v3Index = once(() => {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const path of [...gvs.keys()].sort()) paths[path] = { serverRelativeURL: v3URL(path, v3(path)!.etag) };
    return served({ paths });
  });
  return { v2, v3, v3Index, respond: (req) => respond(req, { v2, v3, v3Index }) };
}

const v3URL = (path: string, etag: string) => `/openapi/v3/${path}?hash=${etag}`;

function served(doc: object): ServedDocument {
  const body = JSON.stringify(doc);
  return { contentType: 'application/json', body, etag: createHash('sha512').update(body).digest('hex').toUpperCase() };
}

type Documents = Pick<OpenAPIDocuments, 'v2' | 'v3' | 'v3Index'>;

function respond(req: OpenAPIRequest, docs: Documents): OpenAPIResponse | undefined {
  const path = req.path.replace(/\/+$/, '');
  const h = req.headers ?? {};
  if (path === '/openapi/v3') return ok(docs.v3Index(), h, {});
  if (path !== '/openapi/v2' && !path.startsWith('/openapi/v3/')) return undefined;
  // Only JSON is offered: kubectl asks for the protobuf v2 document only, takes the 406 and works from v3.
  if (!acceptsJSON(h.accept)) return { status: 406, headers: { Vary: 'Accept' }, body: Buffer.alloc(0) };
  if (path === '/openapi/v2') return ok(docs.v2(), h, { Vary: 'Accept' });
  const gvPath = path.slice('/openapi/v3/'.length);
  const doc = docs.v3(gvPath);
  if (!doc) {
    const status = new StatusError(404, 'NotFound', 'the server could not find the requested resource', {}).toStatus();
    return { status: 404, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(status)) };
  }
  const hash = req.query?.get('hash');
  if (hash && hash !== doc.etag) return { status: 301, headers: { Location: v3URL(gvPath, doc.etag) }, body: Buffer.alloc(0) };
  // A URL with the right hash never changes content, so clients may keep it for good.
  const immutable: Record<string, string> = hash ? { 'Cache-Control': 'public, immutable', Expires: new Date(Date.now() + 365 * 86400_000).toUTCString() } : {};
  return ok(doc, h, { Vary: 'Accept', ...immutable });
}

// The bytes of each document, plain and gzipped, made on first use: the v2 document is megabytes.
const bytes = new WeakMap<ServedDocument, { plain: Buffer; gzip?: Buffer }>();

function ok(doc: ServedDocument, h: NonNullable<OpenAPIRequest['headers']>, extra: Record<string, string>): OpenAPIResponse {
  const etag = `"${doc.etag}"`;
  const vary = [extra.Vary, 'Accept-Encoding'].filter(Boolean).join(', ');
  const headers: Record<string, string> = { 'Content-Type': doc.contentType, ETag: etag, ...extra, Vary: vary };
  if (h['if-none-match'] === etag) return { status: 304, headers, body: Buffer.alloc(0) };
  let b = bytes.get(doc);
  if (!b) bytes.set(doc, (b = { plain: Buffer.from(doc.body) }));
  if (!/\bgzip\b/.test(h['accept-encoding'] ?? '')) return { status: 200, headers, body: b.plain };
  b.gzip ??= gzipSync(b.plain);
  return { status: 200, headers: { ...headers, 'Content-Encoding': 'gzip' }, body: b.gzip };
}

/** Whether an Accept header admits application/json (absent means anything, as upstream). */
export function acceptsJSON(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((clause) => {
    const [type, ...params] = clause.trim().split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) return false;
    return ['application/json', 'application/*', '*/*'].includes(type.toLowerCase());
  });
}
