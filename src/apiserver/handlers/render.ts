// Renders stored objects for a request: version conversion, then JSON, Table or PartialObjectMetadata.
import type { KObject, ResourceInfo } from '../../api/types';
import type { Representation } from '../http/negotiate';
import type { IncludeObject } from '../table';
import { toTable } from '../table';
import type { CachedObject } from '../watch-cache';

/** Converts a stored object to the version the request addressed. */
export function fromStorage(r: ResourceInfo, obj: KObject): KObject {
  return r.storage ? r.storage.fromStorage(obj) : obj;
}

/** The JSON text of one stored object in the requested version (the cached text when no conversion is needed). */
export function objectJSON(r: ResourceInfo, c: CachedObject): string {
  return r.storage ? JSON.stringify(r.storage.fromStorage(c.obj)) : c.json;
}

/** The listKind of a resource. */
export function listKind(r: ResourceInfo): string {
  return `${r.kind}List`;
}

function apiVersionOf(r: ResourceInfo): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** How a request wants its objects. */
export interface RenderOptions {
  as: Representation;
  include: IncludeObject;
  now: number;
}

/** Serializes a list of stored objects as a List, Table or PartialObjectMetadataList. */
export function renderList(
  r: ResourceInfo,
  items: CachedObject[],
  meta: { resourceVersion: string; continueToken?: string; remainingItemCount?: number },
  o: RenderOptions,
): string {
  if (o.as === 'table') {
    return JSON.stringify(
      toTable(r, items.map((c) => fromStorage(r, c.obj)), { now: o.now, include: o.include, ...meta }),
    );
  }
  const listMeta: Record<string, unknown> = { resourceVersion: meta.resourceVersion };
  if (meta.continueToken) listMeta.continue = meta.continueToken;
  if (meta.remainingItemCount !== undefined) listMeta.remainingItemCount = meta.remainingItemCount;
  if (o.as === 'partial') {
    return JSON.stringify({
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata: listMeta,
      items: items.map((c) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: c.obj.metadata })),
    });
  }
  // Items are spliced in as their cached text: each object is serialized once per change, not once per list.
  const head = JSON.stringify({ kind: listKind(r), apiVersion: apiVersionOf(r), metadata: listMeta });
  return `${head.slice(0, -1)},"items":[${items.map((c) => objectJSON(r, c)).join(',')}]}`;
}

/** Serializes one object (already in the requested version) as the request asks. */
export function renderObject(r: ResourceInfo, obj: KObject, o: RenderOptions): string {
  if (o.as === 'table') return JSON.stringify(toTable(r, [obj], { now: o.now, include: o.include, resourceVersion: obj.metadata.resourceVersion }));
  if (o.as === 'partial') return JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata });
  return JSON.stringify(obj);
}
