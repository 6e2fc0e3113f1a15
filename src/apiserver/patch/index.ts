// PATCH bodies by Content-Type: JSON patch, JSON merge patch and strategic merge patch (server-side apply lives elsewhere).
import type { SchemaNode } from '../../api/schema';
import { unsupportedPatchType } from './errors';
import { applyJsonPatch } from './json-patch';
import { applyMergePatch } from './merge-patch';
import { applyStrategicMergePatch } from './strategic-merge-patch';
import { checkTypeMeta, restoreTypeMeta } from './type-meta';
import type { JsonObject } from './values';

export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch';
export { applyMergePatch } from './merge-patch';
export { applyStrategicMergePatch } from './strategic-merge-patch';

/** RFC 6902 JSON patch (`kubectl patch --type json`). */
export const JSON_PATCH = 'application/json-patch+json';
/** RFC 7386 JSON merge patch (`kubectl patch --type merge`, client-side apply of custom resources). */
export const MERGE_PATCH = 'application/merge-patch+json';
/** Strategic merge patch (`kubectl patch`'s default, client-side apply of built-in kinds). */
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
/** Server-side apply; not handled by applyPatch. */
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** The patch types a resource accepts, in upstream's order; kinds without a schema (custom resources) lack strategic merge. */
export function acceptedPatchTypes(hasSchema: boolean): string[] {
  return hasSchema ? [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH] : [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];
}

/**
 * Applies a parsed PATCH body to a copy of `original` by Content-Type (parameters such as "; charset=utf-8" ignored).
 * An unknown type, or a strategic merge patch for a kind without `schema`, is a 415. The result keeps the original's
 * apiVersion and kind: a JSON or merge patch that changes them is a 422, a strategic merge patch's change is ignored.
 * Name, namespace, uid and resourceVersion checks are the caller's, as in upstream's patch handler.
 */
export function applyPatch(patchType: string, original: object, patch: unknown, schema?: SchemaNode): object {
  const type = patchType.split(';')[0];
  const obj = original as JsonObject;
  switch (type) {
    case JSON_PATCH:
      return checkTypeMeta(obj, applyJsonPatch(obj, patch));
    case MERGE_PATCH:
      return checkTypeMeta(obj, applyMergePatch(obj, patch));
    case STRATEGIC_MERGE_PATCH:
      if (!schema) throw unsupportedPatchType(acceptedPatchTypes(false));
      return restoreTypeMeta(obj, applyStrategicMergePatch(obj, patch, schema));
    case APPLY_PATCH:
      throw new TypeError('applyPatch: server-side apply (application/apply-patch+yaml) is handled by the apply code, not here');
    default:
      throw unsupportedPatchType(acceptedPatchTypes(schema !== undefined));
  }
}
