// Watch streams: initial state or history from the cache, then live events, bookmarks and a server-side timeout.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject, ResourceInfo } from '../../api/types';
import { badRequest, isStatusError, StatusError } from '../../machinery/errors';
import type { ListQuery } from '../registry/list';
import { checkFieldSelector, selects } from '../registry/list';
import { listPrefix, resourcePrefix } from '../resource-table';
import { rowOf, columnsOf } from '../table';
import type { CacheEvent, CacheWatcher, CachedObject } from '../watch-cache';
import type { HandlerContext } from './context';
import { fromStorage, objectJSON, RenderOptions } from './render';

const BOOKMARK_INTERVAL_MS = 60_000;

/** Streams a watch until the client goes, the timeout passes or the cache closes it. */
export async function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceInfo,
  sr: ResourceInfo,
  q: ListQuery & { timeoutSeconds?: number },
  params: URLSearchParams,
  ro: RenderOptions,
  ctx: HandlerContext,
  name: string,
): Promise<void> {
  checkFieldSelector(sr, q.fields);
  if (name) q.fields = [...q.fields, { field: 'metadata.name', op: '=', value: name }];
  const rvParam = q.resourceVersion ?? '';
  if (rvParam && !/^\d+$/.test(rvParam)) throw badRequest(`invalid resource version "${rvParam}"`);
  const bookmarks = params.get('allowWatchBookmarks') === 'true';
  const sendInitial = params.get('sendInitialEvents');
  const fromRV = Number(rvParam || 0);
  if (fromRV > ctx.cache.revision) await ctx.cache.waitFor(fromRV);

  const rc = ctx.cache.cacheFor(resourcePrefix(sr));
  let columnsSent = false;
  const frame = (type: string, c: CachedObject): string => {
    let object: string;
    if (ro.as === 'table') {
      const table = {
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: String(c.rv) },
        columnDefinitions: columnsSent ? null : columnsOf(r),
        rows: [rowOf(r, fromStorage(r, c.obj), ctx.clock.now(), ro.include)],
      };
      columnsSent = true;
      object = JSON.stringify(table);
    } else if (ro.as === 'partial') {
      object = JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: c.obj.metadata });
    } else object = objectJSON(r, c);
    return `{"type":"${type}","object":${object}}\n`;
  };
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  const bookmark = (rv: number, initialEnd = false): string => {
    const metadata: KObject['metadata'] = { resourceVersion: String(rv) };
    if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    return `{"type":"BOOKMARK","object":${JSON.stringify({ kind: r.kind, apiVersion, metadata })}}\n`;
  };

  /** Translates a change into what this watcher sees, given its selection (moves in/out become ADDED/DELETED). */
  const translate = (ev: CacheEvent): string | undefined => {
    const now = selects(sr, q, ev.object.obj);
    const before = ev.prev ? selects(sr, q, ev.prev.obj) : false;
    if (ev.type === 'DELETED') return before ? frame('DELETED', ev.object) : undefined;
    if (now && before) return frame(ev.type === 'ADDED' ? 'ADDED' : 'MODIFIED', ev.object);
    if (now) return frame('ADDED', ev.object);
    if (before) return frame('DELETED', ev.object);
    return undefined;
  };

  // Subscribe first and hold live events until the starting state is written, so none falls between the two.
  let pending: CacheEvent[] | undefined = [];
  // Events already in the starting state (at or before this revision) are not sent again.
  let startRV = fromRV;
  let ended = false;
  const timers: NodeJS.Timeout[] = [];
  const watcher: CacheWatcher = {
    onEvent(ev) {
      if (pending) return void pending.push(ev);
      if (ev.rv <= startRV) return;
      const f = translate(ev);
      if (f) res.write(f);
    },
    onClose() {
      end();
    },
  };
  const end = () => {
    if (ended) return;
    ended = true;
    rc.watchers.delete(watcher);
    for (const t of timers) clearTimeout(t);
    res.end();
  };
  rc.watchers.add(watcher);
  req.on('close', end);
  const initial: string[] = [];
  try {
    if (!rvParam || rvParam === '0' || sendInitial === 'true') {
      const now = await ctx.cache.current(rc, listPrefix(sr, q.namespace));
      startRV = now.rv;
      if (sendInitial !== 'false') for (const c of now.objects) if (selects(sr, q, c.obj)) initial.push(frame('ADDED', c));
    } else {
      for (const ev of rc.eventsSince(fromRV, ctx.cache.revision)) {
        const f = translate(ev);
        if (f) initial.push(f);
        startRV = ev.rv;
      }
    }
  } catch (e) {
    rc.watchers.delete(watcher);
    if (isStatusError(e)) {
      // Upstream answers an expired resourceVersion with a 200 stream holding one ERROR event.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.end(`{"type":"ERROR","object":${JSON.stringify((e as StatusError).toStatus())}}\n`);
      return;
    }
    throw e;
  }
  if (ended) return;
  for (const ev of pending) {
    if (ev.rv <= startRV) continue;
    const f = translate(ev);
    if (f) initial.push(f);
  }
  pending = undefined;
  if (sendInitial === 'true' && bookmarks) initial.push(bookmark(ctx.cache.revision, true));

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  if (initial.length) res.write(initial.join(''));
  // Upstream picks a random timeout between the minimum request timeout and twice it, so clients spread re-lists.
  const timeoutMs = q.timeoutSeconds && q.timeoutSeconds > 0 ? q.timeoutSeconds * 1000 : (1800 + Math.random() * 1800) * 1000;
  timers.push(setTimeout(end, timeoutMs));
  if (bookmarks) timers.push(setInterval(() => res.write(bookmark(ctx.cache.revision)), BOOKMARK_INTERVAL_MS));
  res.on('error', end);
}
