// Server-side apply as a pure function: merge the applied configuration into the live object and record ownership, as upstream's field manager.
import type { SchemaNode } from '../../api/schema';
import type { KObject } from '../../api/types';
import { badRequest, StatusError } from '../../machinery/errors';
import { recordApply, type ChainContext } from './chain';
import { ApplyConflicts, conflictError } from './conflict';
import type { FieldSet } from './field-set';
import { fieldsFromLastApplied, syncLastApplied } from './last-applied';
import { decodeManagedFields, encodeManagedFields, type ManagedFieldsEntry } from './managers';
import { formatTypedErrors, typedErrors } from './validate';
import { cloneJson, isMap, type JsonMap } from './values';

/** Inputs of one apply request. */
export interface ApplyOptions {
  /** The current object in the request's version; undefined when the apply creates it. */
  live: KObject | undefined;
  /** The request body (the applied configuration), parsed from YAML or JSON. */
  config: unknown;
  /** ?fieldManager= (required for apply; see validateFieldManager). */
  manager: string;
  /** ?force=true: take conflicting fields instead of failing. */
  force?: boolean;
  /** The kind's schema; undefined treats the object as untyped. */
  schema: SchemaNode | undefined;
  /** The request's group/version, e.g. "apps/v1". */
  apiVersion: string;
  /** The request's kind, e.g. "Deployment". */
  kind: string;
  /** "status" for an apply to the status subresource. */
  subresource?: string;
  /** Fields this endpoint resets (see resetFieldsFor). */
  resetFields?: FieldSet;
  /** Time of the request, in ms. */
  now: number;
}

/** The object to store (defaults not yet applied) and its managedFields, also set in object.metadata. */
export interface ApplyResult {
  object: KObject;
  managedFields: ManagedFieldsEntry[] | undefined;
}

/**
 * Applies `config` for `manager`. Throws 409 Conflict (causes of reason FieldManagerConflict) when a changed field is
 * owned by another manager and `force` is off; 400 for a config of another kind or carrying managedFields. When nothing
 * changes, the result is the live object (with managedFields possibly updated), so the write can be skipped.
 */
export function applyServerSide(opts: ApplyOptions): ApplyResult {
  const { manager, schema, apiVersion, kind } = opts;
  if (!isMap(opts.config)) throw badRequest('error decoding YAML: the applied configuration must be an object');
  let managed;
  try {
    managed = decodeManagedFields(opts.live?.metadata?.managedFields);
  } catch (e) {
    throw serverError(`failed to decode managed fields: ${(e as Error).message}`);
  }
  const configGVK = gvkString(opts.config.apiVersion, opts.config.kind);
  if (configGVK !== gvkString(apiVersion, kind)) throw badRequest(`invalid object type: ${configGVK}`);
  const configMeta = isMap(opts.config.metadata) ? opts.config.metadata : undefined;
  if (Array.isArray(configMeta?.managedFields)) throw badRequest('metadata.managedFields must be nil');
  const config = withoutManagedFields(opts.config);
  const live = opts.live ? withoutManagedFields(opts.live as JsonMap) : {};
  let errs = typedErrors(config, schema, 'applied');
  if (errs.length) throw serverError(`failed to create typed patch object (${describe(config, configGVK)}): ${formatTypedErrors(errs)}`);
  errs = typedErrors(live, schema, 'live');
  if (errs.length) throw serverError(`failed to create typed live object (${describe(live, gvkString(live.apiVersion, live.kind))}): ${formatTypedErrors(errs)}`);

  const ctx: ChainContext = { schema, apiVersion, ignored: opts.resetFields, subresource: opts.subresource, now: opts.now };
  const run = (force: boolean) => recordApply(live, config, managed, manager, force, ctx);
  let result;
  try {
    result = run(opts.force ?? false);
  } catch (e) {
    if (!(e instanceof ApplyConflicts)) throw e;
    result = run(upgradesFromClientSideApply(e, opts));
  }
  let object = (result.object ?? live) as JsonMap;
  if (manager === 'kubectl') object = syncLastApplied(object, config);
  const managedFields = encodeManagedFields(result.managed);
  return { object: withManagedFields(object, managedFields), managedFields };
}

// "kubectl" moving an object from client-side to server-side apply may take the fields its last-applied annotation
// still matches; any other conflict stands. Returns true (force) when all conflicts are such upgrades.
function upgradesFromClientSideApply(e: ApplyConflicts, opts: ApplyOptions): true {
  const allowed = opts.manager === 'kubectl' ? fieldsFromLastApplied(opts.live, opts.schema, opts.apiVersion) : undefined;
  if (!allowed) throw conflictError(e.conflicts);
  const remaining = e.conflicts.filter((c) => !allowed.has(c.path));
  if (remaining.length) throw conflictError(remaining);
  return true;
}

function withoutManagedFields(obj: JsonMap): JsonMap {
  if (!isMap(obj.metadata) || !('managedFields' in obj.metadata)) return obj;
  const meta = { ...obj.metadata };
  delete meta.managedFields;
  return { ...obj, metadata: meta };
}

function withManagedFields(obj: JsonMap, managedFields: ManagedFieldsEntry[] | undefined): KObject {
  const out = cloneJson(obj) as KObject;
  out.metadata ??= {};
  if (managedFields) out.metadata.managedFields = managedFields as NonNullable<KObject['metadata']['managedFields']>;
  else delete out.metadata.managedFields;
  return out;
}

// An error that is not a Status upstream: the API server answers 500 with no reason.
function serverError(message: string): StatusError {
  return new StatusError(500, '', message);
}

// Go's GroupVersionKind.String(), e.g. "apps/v1, Kind=Deployment" or "/v1, Kind=Pod".
function gvkString(apiVersion: unknown, kind: unknown): string {
  const av = typeof apiVersion === 'string' ? apiVersion : '';
  const parts = av.split('/');
  const [group, version] = parts.length === 1 ? ['', parts[0]] : parts.length === 2 ? parts : ['', ''];
  return `${group}/${version}, Kind=${typeof kind === 'string' ? kind : ''}`;
}

// Upstream's objectGVKNN: "namespace/name; group/version, Kind=Kind".
function describe(obj: JsonMap, gvk: string): string {
  const meta = isMap(obj.metadata) ? obj.metadata : {};
  return `${meta.namespace ?? ''}/${meta.name ?? ''}; ${gvk}`;
}
