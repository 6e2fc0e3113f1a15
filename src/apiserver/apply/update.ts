// managedFields for ordinary writes (create, update, patch, and their status subresource forms), as upstream's field manager records them.
import type { SchemaNode } from '../../api/schema';
import type { KObject } from '../../api/types';
import { recordUpdate, zeroObject, type ChainContext } from './chain';
import type { FieldSet } from './field-set';
import { decodeManagedFields, emptyManaged, encodeManagedFields, type Managed, type ManagedFieldsEntry } from './managers';
import { cloneJson, isMap, isPlainJson } from './values';
import { createKey, recallCreate, rememberCreate } from './create-memo';
import { setToFieldsV1 } from './fields-v1';
import { rfc3339 } from '../../util/clock';

/** Inputs of one non-apply write. */
export interface UpdateOptions {
  /** The stored object before the write; undefined for a create. */
  old: KObject | undefined;
  /** The object about to be stored (patch applied, defaults set), with whatever managedFields the client sent or kept. */
  updated: KObject;
  /** ?fieldManager=, or managerFromUserAgent(User-Agent) when absent. */
  manager: string;
  /** Only Update exists for non-apply writes; named for symmetry with the managedFields entry. */
  operation?: 'Update';
  /** "status" for a write to the status subresource. */
  subresource?: string;
  schema: SchemaNode | undefined;
  /** The request's group/version, e.g. "apps/v1". */
  apiVersion: string;
  /** Fields this endpoint resets (see resetFieldsFor). */
  resetFields?: FieldSet;
  /** Time of the request, in ms. */
  now: number;
}

/** The object to store, with metadata.managedFields set (or removed), and those managedFields. */
export interface UpdateResult {
  object: KObject;
  managedFields: ManagedFieldsEntry[] | undefined;
}

/**
 * Gives `manager` the fields this write added or changed and takes them from other managers. Client-sent managedFields
 * replace the stored ones, except that an empty list or a single empty entry clears them, and that subresource writes
 * always keep the stored ones. An update of an object without managedFields does not start tracking (a create does).
 * Never throws: as upstream, a write is not failed over managedFields, which are dropped instead.
 */
export function updateManagedFields(opts: UpdateOptions): UpdateResult {
  // The result shares everything but its top level and metadata with `updated` when that is plain JSON already (the
  // usual case); otherwise a JSON copy drops what JSON cannot hold (undefined fields), as the stored text will.
  const object = isPlainJson(opts.updated) ? { ...opts.updated, metadata: { ...opts.updated.metadata } } : cloneJson(opts.updated);
  object.metadata ??= {};
  try {
    const managed = managedBefore(opts);
    delete object.metadata.managedFields;
    const isCreate = !opts.old?.metadata?.uid;
    if (!managed.sets.size && !isCreate) return { object, managedFields: undefined };
    // A create owning nothing yet depends only on the created object's shape: pods of one template are computed once.
    const memoKey = !opts.old && !managed.sets.size ? createKey(opts.manager, opts.apiVersion, opts.subresource, ignoredText(opts.resetFields), object) : undefined;
    if (memoKey !== undefined) {
      const known = recallCreate(opts.schema, memoKey, rfc3339(opts.now));
      if (known !== undefined) {
        if (known) object.metadata.managedFields = known as NonNullable<KObject['metadata']['managedFields']>;
        return { object, managedFields: known ?? undefined };
      }
    }
    const live = opts.old ? withoutManagedFields(opts.old) : zeroObject(opts.schema);
    const ctx: ChainContext = {
      schema: opts.schema,
      apiVersion: opts.apiVersion,
      ignored: opts.resetFields,
      subresource: opts.subresource,
      now: opts.now,
    };
    const managedFields = encodeManagedFields(recordUpdate(live, object, managed, opts.manager, ctx));
    if (memoKey !== undefined) rememberCreate(opts.schema, memoKey, managedFields);
    if (managedFields) object.metadata.managedFields = managedFields as NonNullable<KObject['metadata']['managedFields']>;
    return { object, managedFields };
  } catch {
    delete object.metadata.managedFields;
    return { object, managedFields: undefined };
  }
}

// Upstream's decodeLiveOrNew: which managedFields the write starts from.
function managedBefore(opts: UpdateOptions): Managed {
  const stored = () => {
    try {
      return decodeManagedFields(opts.old?.metadata?.managedFields);
    } catch {
      return emptyManaged();
    }
  };
  if (opts.subresource) return stored();
  const sent: unknown = opts.updated.metadata?.managedFields;
  if (isReset(sent)) return emptyManaged();
  try {
    const m = decodeManagedFields(sent);
    return m.sets.size ? m : stored();
  } catch {
    // Clients that do not understand managedFields must not be able to wipe them by accident.
    return stored();
  }
}

function isReset(sent: unknown): boolean {
  if (!Array.isArray(sent)) return false;
  if (sent.length === 0) return true;
  return sent.length === 1 && isMap(sent[0]) && Object.values(sent[0]).every((v) => v === '' || v === null || v === undefined);
}

function ignoredText(fields: FieldSet | undefined): string {
  return fields ? JSON.stringify(setToFieldsV1(fields)) : '';
}

function withoutManagedFields(obj: KObject): KObject {
  const meta = { ...obj.metadata };
  delete meta.managedFields;
  return { ...obj, metadata: meta };
}
