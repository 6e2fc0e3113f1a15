// What resource handlers share: the registry, the cache, and the schema-driven decoding and patching hooks.
import type { KObject, ResourceInfo } from '../../api/types';
import type { Store } from '../../store/types';
import type { Clock } from '../../util/clock';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry, WriteContext } from '../registry/registry';
import type { ResourceTable } from '../resource-table';
import type { WatchCache } from '../watch-cache';

/** fieldValidation query values. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Schema-driven request decoding and patching (OpenAPI schema, patch formats). */
export interface ObjectCodec {
  /** Checks a decoded object against its kind's schema; unknown fields per `mode`; type errors are 400s. */
  check(r: ResourceInfo, obj: KObject, mode: FieldValidation, warnings: string[]): KObject;
  /** Applies a JSON, merge or strategic merge patch to `original`, an object of OpenAPI `definition`. */
  patch(definition: string, contentType: string, original: KObject, patch: unknown): KObject;
}

/** The object a subresource request addresses. */
export interface SubresourceTarget {
  resource: ResourceInfo;
  namespace: string;
  name: string;
}

/** A subresource other than status and scale, registered by a component (pods/binding, pods/eviction, pods/log…). */
export interface SubresourceHandler {
  /** POST with an object body (binding, eviction, token): returns the HTTP code and the response object. */
  create?(target: SubresourceTarget, body: KObject, wc: WriteContext, ctx: HandlerContext): Promise<{ code: number; body: object }>;
  /** Any other exchange over raw HTTP (log, exec, attach, portforward). */
  connect?(req: IncomingMessage, res: ServerResponse, target: SubresourceTarget, ctx: HandlerContext): Promise<void>;
}

export interface HandlerContext {
  table: ResourceTable;
  registry: Registry;
  store: Store;
  cache: WatchCache;
  clock: Clock;
  codec: ObjectCodec;
  /** Extra subresources keyed by "group/resource/subresource". */
  subresources: Map<string, SubresourceHandler>;
}
