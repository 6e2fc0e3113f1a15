// Write operations shared by the HTTP handlers and the in-process client: body checks and patches of every kind.
import type { KObject, ResourceInfo } from '../../api/types';
import { badRequest, notFound } from '../../machinery/errors';
import { APPLY_PATCH } from '../patch';
import type { WriteContext } from '../registry/registry';
import type { FieldValidation, HandlerContext } from './context';
import { fromStorage } from './render';
import { deepCopy } from '../deep-copy';

/**
 * How a body is decoded: a fieldValidation mode, or 'Typed' for the in-process client. Its callers are our own
 * components, which upstream are typed Go clients whose bodies cannot carry unknown fields or wrong JSON types, so
 * the schema walk (a large share of a controller's write) is skipped for them.
 */
export type BodyValidation = FieldValidation | 'Typed';

/** Checks a decoded body against the addressed kind and its schema, and converts it to the stored version. */
export function checkObject(raw: unknown, r: ResourceInfo, fieldValidation: BodyValidation, warnings: string[], ctx: HandlerContext): KObject {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest(`the body of the request must be a ${r.kind} object`);
  const obj = raw as KObject;
  const want = r.group ? `${r.group}/${r.version}` : r.version;
  if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
  }
  if (obj.kind !== undefined && obj.kind !== r.kind) {
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${r.kind})`);
  }
  obj.apiVersion = want;
  obj.kind = r.kind;
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))) {
    throw badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: json: cannot unmarshal into Go struct field ${r.kind}.metadata of type v1.ObjectMeta`);
  }
  obj.metadata = obj.metadata ?? {};
  const checked = fieldValidation === 'Typed' ? obj : ctx.codec.check(r, obj, fieldValidation, warnings);
  return r.storage ? (r.storage.toStorage(checked) as KObject) : checked;
}

/** Kinds a PUT may create when absent, as upstream's AllowCreateOnUpdate. */
const CREATE_ON_UPDATE = new Set(['/Node', '/Endpoints', '/Event', 'coordination.k8s.io/Lease', 'discovery.k8s.io/EndpointSlice', '/LimitRange']);

/** True when an update of an absent object of this kind creates it. */
export function allowsCreateOnUpdate(r: ResourceInfo): boolean {
  return CREATE_ON_UPDATE.has(`${r.group}/${r.kind}`);
}

/**
 * Patches (or server-side applies, for APPLY_PATCH) one object. Only a patch that itself sets resourceVersion makes it a
 * precondition, so concurrent writes are retried otherwise; an apply of an absent object creates it.
 */
export async function patchObject(
  ctx: HandlerContext,
  r: ResourceInfo,
  namespace: string,
  name: string,
  subresource: string,
  contentType: string,
  patch: unknown,
  opts: { force: boolean; fieldValidation: BodyValidation },
  wc: WriteContext,
): Promise<{ obj: KObject; created: boolean }> {
  const sr = ctx.table.storageOf(r);
  const isApply = contentType === APPLY_PATCH;
  const mutate = (current: KObject | undefined): { obj: KObject; applied?: { force: boolean } } => {
    if (isApply) return { obj: checkObject(deepCopy(patch), r, opts.fieldValidation, wc.warnings, ctx), applied: { force: opts.force } };
    if (!current) throw notFound({ group: r.group, resource: r.resource }, name);
    const inVersion = fromStorage(r, current);
    const patched = ctx.codec.patch(r.definition, contentType, inVersion, patch);
    if (patched.metadata?.resourceVersion === inVersion.metadata.resourceVersion) delete patched.metadata.resourceVersion;
    return { obj: checkObject(patched, r, opts.fieldValidation, wc.warnings, ctx) };
  };
  if (subresource && subresource !== 'status' && subresource !== 'finalize') throw badRequest(`cannot patch subresource ${subresource}`);
  return ctx.registry.update(sr, namespace, name, subresource, mutate, wc, isApply);
}
