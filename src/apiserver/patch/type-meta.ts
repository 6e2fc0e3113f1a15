// Keeps apiVersion and kind through a patch: no patch format may turn an object into another kind.
import { field, invalid, type FieldError } from '../../machinery/errors';
import { patchInvalid } from './errors';
import { type JsonObject, goJsonKind, isObject } from './values';

/**
 * After a JSON or merge patch. Upstream decodes the patched JSON into the kind's type, so a non-object result is a 422
 * and so is a changed apiVersion or kind (worded as upstream validates custom resources); a removed one comes back.
 */
export function checkTypeMeta(original: JsonObject, patched: unknown): JsonObject {
  if (!isObject(patched)) {
    throw patchInvalid(
      patched,
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonKind(patched)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  const errs: FieldError[] = [];
  for (const name of ['kind', 'apiVersion'] as const) {
    const want = original[name];
    const got = patched[name];
    if (typeof want === 'string' && got !== undefined && got !== null && got !== want) errs.push(field.invalid(name, got, `must be ${want}`));
  }
  if (errs.length > 0) {
    const apiVersion = typeof original.apiVersion === 'string' ? original.apiVersion : '';
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const meta = isObject(original.metadata) ? original.metadata : {};
    throw invalid(String(original.kind ?? ''), group, typeof meta.name === 'string' ? meta.name : '', errs);
  }
  return restoreTypeMeta(original, patched);
}

/**
 * After a strategic merge patch. Upstream converts the merged map into the kind's Go type, whose apiVersion and kind
 * come from the type, not the map: whatever the patch said about them is ignored.
 */
export function restoreTypeMeta(original: JsonObject, patched: JsonObject): JsonObject {
  const head: JsonObject = {};
  if (typeof original.apiVersion === 'string') head.apiVersion = original.apiVersion;
  if (typeof original.kind === 'string') head.kind = original.kind;
  return { ...head, ...patched, ...head };
}
