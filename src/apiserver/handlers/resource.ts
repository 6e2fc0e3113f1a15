// Resource requests: get, list, create, update, patch, delete, deletecollection, and the status/scale subresources.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject, ResourceInfo } from '../../api/types';
import { badRequest, invalid, methodNotAllowed, StatusError, unsupportedMediaType } from '../../machinery/errors';
import { managerFromUserAgent, validateFieldManager } from '../apply';
import type { UserInfo } from '../authn';
import { decodeBody, mediaType, readBody } from '../http/body';
import { negotiate } from '../http/negotiate';
import { addWarnings, sendJSON } from '../http/respond';
import type { DeleteOptions, WriteContext } from '../registry/registry';
import { listObjects } from '../registry/list';
import type { RequestInfo } from '../request-info';
import type { IncludeObject } from '../table';
import type { HandlerContext } from './context';
import { dryRunOf, fieldValidationOf, gracePeriodOf, listQueryOf } from './query';
import { fromStorage, objectJSON, renderList, renderObject, RenderOptions } from './render';
import { getScale, scaleMutation } from './scale';
import { serveWatch } from './watch';
import { allowsCreateOnUpdate, checkObject, patchObject } from './operations';
import { APPLY_PATCH, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH } from '../patch';
import { deepCopy } from '../deep-copy';

const PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];


function writeContext(req: IncomingMessage, q: URLSearchParams, user: UserInfo, isApply = false): WriteContext {
  const fm = q.get('fieldManager') ?? '';
  const errs = validateFieldManager(fm, isApply);
  if (errs.length) throw invalid('PatchOptions', 'meta.k8s.io', '', errs);
  return { user, manager: fm || managerFromUserAgent(req.headers['user-agent'] ?? ''), dryRun: dryRunOf(q), warnings: [] };
}

function renderOptions(req: IncomingMessage, q: URLSearchParams, now: number): RenderOptions {
  const include = (q.get('includeObject') ?? 'Metadata') as IncludeObject;
  if (!['None', 'Metadata', 'Object'].includes(include)) throw badRequest(`includeObject: unsupported value "${include}"`);
  return { as: negotiate(req.headers.accept), include, now };
}

/** Decodes a request body into an object of the addressed kind, converted to the stored version. */
async function decodeObject(req: IncomingMessage, r: ResourceInfo, q: URLSearchParams, warnings: string[], ctx: HandlerContext): Promise<KObject> {
  const raw = decodeBody(await readBody(req), req.headers['content-type']);
  return checkObject(raw, r, fieldValidationOf(q), warnings, ctx);
}

function parseDeleteOptions(body: Buffer, contentType: string | undefined, q: URLSearchParams): DeleteOptions {
  let opts: DeleteOptions = {};
  if (body.length && body.toString().trim()) {
    const raw = decodeBody(body, contentType) as DeleteOptions & { kind?: string };
    if (!raw || typeof raw !== 'object') throw badRequest('the body of the request must be a DeleteOptions object');
    opts = raw;
  }
  const grace = gracePeriodOf(q);
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = q.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  if (q.get('orphanDependents') !== null) opts.orphanDependents = q.get('orphanDependents') === 'true';
  if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw new StatusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 0;
  return opts;
}

function deletedStatus(r: ResourceInfo, obj: KObject): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: obj.metadata.name, group: r.group || undefined, kind: r.resource, uid: obj.metadata.uid },
  };
}

/** Serves one resource request; errors propagate to the server's error writer. */
export async function handleResource(req: IncomingMessage, res: ServerResponse, info: RequestInfo, q: URLSearchParams, user: UserInfo, ctx: HandlerContext): Promise<void> {
  const r = ctx.table.lookup(info.group, info.version, info.resource);
  if (!r) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  if (!r.namespaced && info.namespace) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  const sr = ctx.table.storageOf(r);
  const ns = info.namespace;
  const now = ctx.clock.now();

  if (info.subresource) {
    const extra = ctx.subresources.get(`${r.group}/${r.resource}/${info.subresource}`);
    if (extra) {
      const target = { resource: r, namespace: ns, name: info.name };
      if (info.verb === 'create' && extra.create) {
        const wc = writeContext(req, q, user);
        const body = decodeBody(await readBody(req), req.headers['content-type']);
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of the request must be an object');
        const out = await extra.create(target, body as KObject, wc, ctx);
        addWarnings(res, wc.warnings);
        return sendJSON(res, out.code, out.body);
      }
      if (extra.connect) return extra.connect(req, res, target, ctx);
      throw methodNotAllowed(`${info.verb} is not supported on ${r.resource}/${info.subresource}`);
    }
    if (info.subresource === 'scale' && r.scale) return handleScale(req, res, info, q, user, r, ctx);
    const isStatus = info.subresource === 'status' && r.status;
    const isFinalize = info.subresource === 'finalize' && r.kind === 'Namespace' && r.group === '';
    if (!isStatus && !isFinalize) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
    if (info.verb !== 'get' && info.verb !== 'update' && info.verb !== 'patch') throw methodNotAllowed(`${info.verb} is not supported on ${r.resource}/${info.subresource}`);
  }
  if (r.namespaced && !ns && (info.verb === 'create' || info.name)) {
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }

  switch (info.verb) {
    case 'get': {
      const c = await ctx.registry.get(sr, ns, info.name);
      const ro = renderOptions(req, q, now);
      sendJSON(res, 200, ro.as === 'object' ? objectJSON(r, c) : renderObject(r, fromStorage(r, c.obj), ro));
      return;
    }
    case 'list': {
      const ro = renderOptions(req, q, now);
      const lq = listQueryOf(q, ns);
      const out = await listObjects(sr, lq, ctx.store, ctx.cache);
      sendJSON(res, 200, renderList(r, out.items, { resourceVersion: String(out.rv), continueToken: out.continueToken, remainingItemCount: out.remainingItemCount }, ro));
      return;
    }
    case 'watch':
      return serveWatch(req, res, r, sr, listQueryOf(q, ns), q, renderOptions(req, q, now), ctx, info.name);
    case 'create': {
      const wc = writeContext(req, q, user);
      const obj = await decodeObject(req, r, q, wc.warnings, ctx);
      const created = await ctx.registry.create(sr, ns, obj, wc);
      addWarnings(res, wc.warnings);
      sendJSON(res, 201, renderObject(r, fromStorage(r, created), renderOptions(req, q, now)));
      return;
    }
    case 'update': {
      const wc = writeContext(req, q, user);
      const body = await decodeObject(req, r, q, wc.warnings, ctx);
      const out = await ctx.registry.update(sr, ns, info.name, info.subresource, () => ({ obj: deepCopy(body) }), wc, allowsCreateOnUpdate(r));
      addWarnings(res, wc.warnings);
      sendJSON(res, out.created ? 201 : 200, renderObject(r, fromStorage(r, out.obj), renderOptions(req, q, now)));
      return;
    }
    case 'patch': {
      const ct = mediaType(req.headers['content-type']);
      const wc = writeContext(req, q, user, ct === APPLY_PATCH);
      if (!PATCH_TYPES.includes(ct)) {
        throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
      }
      if (ct !== APPLY_PATCH && q.get('force') !== null) throw badRequest('force is only allowed for apply patches');
      const patch = decodeBody(await readBody(req), ct);
      const out = await patchObject(ctx, r, ns, info.name, info.subresource, ct, patch, { force: q.get('force') === 'true', fieldValidation: fieldValidationOf(q) }, wc);
      addWarnings(res, wc.warnings);
      sendJSON(res, out.created ? 201 : 200, renderObject(r, fromStorage(r, out.obj), renderOptions(req, q, now)));
      return;
    }
    case 'delete': {
      const wc = writeContext(req, q, user);
      const opts = parseDeleteOptions(await readBody(req), req.headers['content-type'], q);
      const out = await ctx.registry.delete(sr, ns, info.name, opts, wc);
      addWarnings(res, wc.warnings);
      const obj = fromStorage(r, out.obj);
      // Pods answer with the object, as upstream; other kinds with a Success status once gone.
      sendJSON(res, 200, out.deleted && r.kind !== 'Pod' ? deletedStatus(r, obj) : JSON.stringify(obj));
      return;
    }
    case 'deletecollection': {
      const wc = writeContext(req, q, user);
      const opts = parseDeleteOptions(await readBody(req), req.headers['content-type'], q);
      const listed = await listObjects(sr, { ...listQueryOf(q, ns), limit: undefined, continueToken: undefined }, ctx.store, ctx.cache);
      const deleted: KObject[] = [];
      for (const c of listed.items) {
        try {
          const out = await ctx.registry.delete(sr, c.obj.metadata.namespace ?? '', c.obj.metadata.name!, opts, wc);
          deleted.push(fromStorage(r, out.obj));
        } catch (e) {
          if (!(e instanceof StatusError && e.code === 404)) throw e;
        }
      }
      addWarnings(res, wc.warnings);
      sendJSON(res, 200, { kind: `${r.kind}List`, apiVersion: r.group ? `${r.group}/${r.version}` : r.version, metadata: {}, items: deleted });
      return;
    }
  }
}

async function handleScale(req: IncomingMessage, res: ServerResponse, info: RequestInfo, q: URLSearchParams, user: UserInfo, r: ResourceInfo, ctx: HandlerContext): Promise<void> {
  const ns = info.namespace;
  if (info.verb === 'get') {
    const c = await ctx.registry.get(r, ns, info.name);
    sendJSON(res, 200, getScale(r, c.obj));
    return;
  }
  if (info.verb !== 'update' && info.verb !== 'patch') throw methodNotAllowed(`${info.verb} is not supported on ${r.resource}/scale`);
  const wc = writeContext(req, q, user);
  const ct = mediaType(req.headers['content-type']);
  const body = decodeBody(await readBody(req), req.headers['content-type']);
  const mutate = scaleMutation(r, info.verb === 'patch' ? { contentType: ct, patch: body, codec: ctx.codec } : { scale: body });
  const out = await ctx.registry.update(r, ns, info.name, 'scale', (cur) => ({ obj: mutate(cur!) }), wc, false);
  addWarnings(res, wc.warnings);
  sendJSON(res, 200, getScale(r, out.obj));
}
