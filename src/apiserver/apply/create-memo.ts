// managedFields of creates, remembered by the shape of the created object: objects made from one template own the same fields.
import type { SchemaNode } from '../../api/schema';
import type { ManagedFieldsEntry } from './managers';
import { deepCopy } from '../deep-copy';

/**
 * The part of an object its field set depends on: every map key and the JSON type of every value, and lists
 * verbatim (an item's path element comes from its values: a container's name, a port's number and protocol).
 * Other scalar values (names, uids, timestamps, images outside lists) do not change which fields are set.
 */
export function fieldShape(v: unknown): string {
  if (Array.isArray(v)) return JSON.stringify(v);
  if (typeof v === 'object' && v !== null) {
    let s = '{';
    for (const k of Object.keys(v)) s += `${JSON.stringify(k)}:${fieldShape((v as Record<string, unknown>)[k])},`;
    return `${s}}`;
  }
  return v === null ? 'null' : typeof v;
}

/** Remembered results per schema; cleared whole when it grows past MAX_SHAPES (shapes are few in practice). */
const memo = new WeakMap<SchemaNode | typeof UNTYPED, Map<string, ManagedFieldsEntry[] | null>>();
const UNTYPED = {};
const MAX_SHAPES = 2000;

/** The key of one create: who writes, through which endpoint, and the shape of what it writes. */
export function createKey(manager: string, apiVersion: string, subresource: string | undefined, ignored: string, object: unknown): string {
  return `${manager}\n${apiVersion}\n${subresource ?? ''}\n${ignored}\n${fieldShape(object)}`;
}

/** A remembered create result (null: no managedFields), with its times set to `time`; undefined when not known. */
export function recallCreate(schema: SchemaNode | undefined, key: string, time: string): ManagedFieldsEntry[] | null | undefined {
  const hit = memo.get(schema ?? UNTYPED)?.get(key);
  if (hit === undefined || hit === null) return hit;
  return hit.map((e) => ({ ...e, ...(e.time !== undefined ? { time } : {}), fieldsV1: deepCopy(e.fieldsV1) }));
}

/** Remembers the result of a create computed the long way. */
export function rememberCreate(schema: SchemaNode | undefined, key: string, entries: ManagedFieldsEntry[] | undefined): void {
  let m = memo.get(schema ?? UNTYPED);
  if (!m) memo.set(schema ?? UNTYPED, (m = new Map()));
  if (m.size >= MAX_SHAPES) m.clear();
  m.set(key, entries ? deepCopy(entries) : null);
}
