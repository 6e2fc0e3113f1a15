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
import { listPrefix, resourcePrefix } from './resource-table';
import type { CacheEvent, CacheWatcher, CachedObject } from './watch-cache';
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
          // Live events wait here until the starting state is delivered, so order is kept; those up to startRV are in it.
          let pending: CacheEvent[] | undefined = [];
          let startRV = Number(rv || 0);
          const watcher: CacheWatcher = {
            onEvent: (ev) => {
              if (stopped) return;
              if (pending) pending.push(ev);
              else if (ev.rv > startRV) translate(ev);
            },
            onClose: (reason) => {
              if (stopped) return;
              stopped = true;
              rc.watchers.delete(watcher);
              onClose(reason);
            },
          };
          rc.watchers.add(watcher);
          // A watch from "now" starts with the current objects; one from a resourceVersion with the history since it.
          const start = async (): Promise<{ initial: CachedObject[]; backlog: CacheEvent[] }> => {
            if (rv && rv !== '0') {
              const backlog = rc.eventsSince(Number(rv), ctx.cache.revision);
              if (backlog.length) startRV = backlog[backlog.length - 1].rv;
              return { initial: [], backlog };
            }
            const now = await ctx.cache.current(rc, listPrefix(sr, q.namespace));
            startRV = now.rv;
            return { initial: now.objects.filter((c) => selects(sr, q, c.obj)), backlog: [] };
          };
          // Events are delivered after watch() returns, like a network watch.
          start().then(
            ({ initial, backlog }) => {
              for (const c of initial) if (!stopped) deliver('ADDED', c.obj);
              for (const ev of backlog) if (!stopped) translate(ev);
              const live = pending ?? [];
              pending = undefined;
              for (const ev of live) if (!stopped && ev.rv > startRV) translate(ev);
            },
            (e: Error) => watcher.onClose(e.message),
          );
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
