// The in-process client: the same Client interface as over HTTPS, served straight from the registry and watch cache.
import type { KObject } from '../api/types';
import { badRequest, notFound, StatusError } from '../machinery/errors';
import { parseFieldSelector } from '../machinery/fields';
import { parseLabelSelector } from '../machinery/labels';
import type { Client, GVR, ListOptions, PatchType, ResourceClient, WatchEvent } from '../client/types';
import type { UserInfo } from './authn';
import type { HandlerContext } from './handlers/context';
import { allowsCreateOnUpdate, checkObject, patchObject } from './handlers/operations';
import { fromStorage } from './handlers/render';
import { APPLY_PATCH, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH } from './patch';
import type { ListQuery } from './registry/list';
import { checkFieldSelector, listObjects, selects } from './registry/list';
import type { WriteContext } from './registry/registry';
import { resourcePrefix } from './resource-table';
import type { CacheEvent, CacheWatcher } from './watch-cache';
import { deepCopy } from './deep-copy';

const CONTENT_TYPES: Record<PatchType, string> = { json: JSON_PATCH, merge: MERGE_PATCH, strategic: STRATEGIC_MERGE_PATCH, apply: APPLY_PATCH };

function listQuery(namespace: string, opts: ListOptions): ListQuery {
  return {
    namespace,
    labels: parseLabelSelector(opts.labelSelector ?? ''),
    fields: parseFieldSelector(opts.fieldSelector ?? ''),
    limit: opts.limit,
    continueToken: opts.continue,
    resourceVersion: opts.resourceVersion,
  };
}

/** A client acting as `user`, writing with field manager `manager` unless a call names another. */
export function localClient(ctx: HandlerContext, user: UserInfo, manager: string): Client {
  return {
    resource<T extends KObject>(gvr: GVR): ResourceClient<T> {
      const r = ctx.table.lookup(gvr.group, gvr.version, gvr.resource);
      if (!r) throw new StatusError(404, 'NotFound', `the server could not find the requested resource (${gvr.resource})`);
      const sr = ctx.table.storageOf(r);
      const out = (o: KObject) => fromStorage(r, o) as T;
      const wc = (o?: { dryRun?: boolean; fieldManager?: string }): WriteContext => ({
        user,
        manager: o?.fieldManager ?? manager,
        dryRun: !!o?.dryRun,
        warnings: [],
      });
      // The registry changes the object it is given, so it gets a copy; the caller keeps its own.
      const check = (obj: KObject) => checkObject(deepCopy(obj), r, 'Typed', [], ctx);
      // The body of an update: checked once up front; a retry after a conflict gets a fresh copy of the caller's object.
      const bodyOf = (obj: KObject) => {
        let first: KObject | undefined = check(obj);
        return () => {
          const body = first ?? check(obj);
          first = undefined;
          return { obj: body };
        };
      };
      return {
        async get(namespace, name) {
          return out(deepCopy((await ctx.registry.get(sr, namespace, name)).obj));
        },
        async list(namespace, opts = {}) {
          const res = await listObjects(sr, listQuery(namespace, opts), ctx.store, ctx.cache);
          return { items: res.items.map((c) => out(c.obj)), resourceVersion: String(res.rv), continue: res.continueToken };
        },
        async create(namespace, obj, opts) {
          return out(await ctx.registry.create(sr, namespace, check(obj), wc(opts)));
        },
        async update(namespace, obj, opts) {
          const res = await ctx.registry.update(sr, namespace, obj.metadata.name!, '', bodyOf(obj), wc(opts), allowsCreateOnUpdate(r));
          return out(res.obj);
        },
        async updateStatus(namespace, obj, opts) {
          if (!r.status) throw notFound({ group: r.group, resource: `${r.resource}/status` }, obj.metadata.name ?? '');
          const res = await ctx.registry.update(sr, namespace, obj.metadata.name!, 'status', bodyOf(obj), wc(opts), false);
          return out(res.obj);
        },
        async patch(namespace, name, type, patch, opts = {}) {
          const res = await patchObject(ctx, r, namespace, name, opts.subresource ?? '', CONTENT_TYPES[type], deepCopy(patch), { force: !!opts.force, fieldValidation: 'Typed' }, wc(opts));
          return out(res.obj);
        },
        async delete(namespace, name, opts = {}) {
          await ctx.registry.delete(sr, namespace, name, opts, wc(opts));
        },
        async createSubresource(namespace, name, subresource, body, opts) {
          const h = ctx.subresources.get(`${r.group}/${r.resource}/${subresource}`);
          if (!h?.create) throw badRequest(`${r.resource}/${subresource} does not accept creates`);
          const res = await h.create({ resource: r, namespace, name }, deepCopy(body), wc(opts), ctx);
          if (res.code >= 400) throw new StatusError(res.code, String((res.body as { reason?: string }).reason ?? ''), String((res.body as { message?: string }).message ?? ''));
          return res.body as KObject;
        },
        watch(namespace, opts, onEvent, onClose) {
          const q = listQuery(namespace, opts);
          checkFieldSelector(sr, q.fields);
          const rc = ctx.cache.cacheFor(resourcePrefix(sr));
          const deliver = (type: WatchEvent<T>['type'], o: KObject) => onEvent({ type, object: out(o) });
          const translate = (ev: CacheEvent) => {
            const now = selects(sr, q, ev.object.obj);
            const before = ev.prev ? selects(sr, q, ev.prev.obj) : false;
            if (ev.type === 'DELETED') {
              if (before) deliver('DELETED', ev.object.obj);
            } else if (now) deliver(before ? 'MODIFIED' : 'ADDED', ev.object.obj);
            else if (before) deliver('DELETED', ev.object.obj);
          };
          const rv = opts.resourceVersion ?? '';
          let stopped = false;
          // Live events that arrive before the backlog is delivered wait here, so order is kept.
          let pending: CacheEvent[] | undefined = [];
          const watcher: CacheWatcher = {
            onEvent: (ev) => {
              if (stopped) return;
              if (pending) pending.push(ev);
              else translate(ev);
            },
            onClose: (reason) => {
              if (stopped) return;
              stopped = true;
              rc.watchers.delete(watcher);
              onClose(reason);
            },
          };
          // The backlog is taken in the same turn as the subscription, so no event falls between them.
          let backlog: CacheEvent[] | undefined;
          let initial: KObject[] = [];
          let expired: string | undefined;
          if (!rv || rv === '0') {
            initial = rc.keys().map((k) => rc.objects.get(k)!.obj).filter((o) => selects(sr, q, o));
          } else {
            try {
              backlog = rc.eventsSince(Number(rv), ctx.cache.revision);
            } catch (e) {
              expired = (e as Error).message;
            }
          }
          if (!expired) rc.watchers.add(watcher);
          // Events are delivered after watch() returns, like a network watch.
          queueMicrotask(() => {
            if (expired) return onClose(expired);
            for (const o of initial) if (!stopped) deliver('ADDED', o);
            for (const ev of backlog ?? []) if (!stopped) translate(ev);
            const live = pending ?? [];
            pending = undefined;
            for (const ev of live) if (!stopped) translate(ev);
          });
          return {
            stop() {
              stopped = true;
              rc.watchers.delete(watcher);
            },
          };
        },
      };
    },
  };
}
