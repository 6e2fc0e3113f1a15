// RFC 7386 JSON merge patch: objects merge recursively, null deletes a member, anything else replaces.
import { badRequest } from '../../machinery/errors';
import { type JsonObject, deepCopy, hasKey, isObject, setKey } from './values';

/**
 * Applies a merge patch to a copy of `doc`. A null or scalar body is a 400 "Invalid JSON Patch" (evanphx v4);
 * an array body replaces the document, as the RFC says, and the caller refuses the non-object result.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return withoutNulls(patch);
  if (!isObject(patch)) throw badRequest('Invalid JSON Patch');
  return merge(deepCopy(doc), patch);
}

function merge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return withoutNulls(patch);
  const out: JsonObject = isObject(target) ? target : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete out[key];
    else setKey(out, key, merge(hasKey(out, key) ? out[key] : undefined, value));
  }
  return out;
}

/**
 * A copy of a patch value with null object members dropped at any depth (array elements stay):
 * evanphx prunes them from values it sets, and upstream's typed decode drops the rest.
 */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const key of Object.keys(v)) if (v[key] !== null) setKey(out, key, withoutNulls(v[key]));
  return out;
}
