// kubectl's client-side apply annotation, as upstream's field manager honours it for the "kubectl" manager: upgrades without conflicts, and kept in sync.
import type { SchemaNode } from '../../api/schema';
import { compareObjects } from './compare';
import type { FieldSet } from './field-set';
import { fieldSetFromObject } from './to-field-set';
import { typedErrors } from './validate';
import { goJson, hasOwn, isMap, setOwn, type JsonMap } from './values';

/** Where `kubectl apply` (client-side) keeps the configuration it applied last. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

// Upstream drops the annotation rather than exceed the total annotation size limit.
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function annotationsOf(obj: unknown): JsonMap | undefined {
  const meta = isMap(obj) ? obj.metadata : undefined;
  const ann = isMap(meta) ? meta.annotations : undefined;
  return isMap(ann) ? ann : undefined;
}

function lastAppliedOf(obj: unknown): string | undefined {
  const ann = annotationsOf(obj);
  const v = ann && hasOwn(ann, LAST_APPLIED_ANNOTATION) ? ann[LAST_APPLIED_ANNOTATION] : undefined;
  return typeof v === 'string' && v ? v : undefined;
}

/**
 * Fields the last client-side apply set that still hold the values it set: when a server-side apply by "kubectl"
 * conflicts only on these, it is the same user moving to server-side apply, and upstream lets it take them.
 */
export function fieldsFromLastApplied(live: unknown, schema: SchemaNode | undefined, apiVersion: string): FieldSet | undefined {
  const text = lastAppliedOf(live);
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isMap(last) || last.apiVersion !== apiVersion || typedErrors(last, schema, 'applied').length) return undefined;
  const c = compareObjects(last, live, schema);
  return fieldSetFromObject(last, schema).difference(c.modified).difference(c.added).difference(c.removed);
}

/** `obj` with its client-side apply annotation (if it has one) rewritten to `config`, as upstream does after "kubectl" applies. */
export function syncLastApplied(obj: JsonMap, config: JsonMap): JsonMap {
  const ann = annotationsOf(obj);
  if (!ann || !lastAppliedOf(obj)) return obj;
  const next: JsonMap = { ...ann };
  setOwn(next, LAST_APPLIED_ANNOTATION, `${goJson(withoutLastApplied(config))}\n`);
  let size = 0;
  for (const [k, v] of Object.entries(next)) size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) delete next[LAST_APPLIED_ANNOTATION];
  return { ...obj, metadata: { ...(obj.metadata as JsonMap), annotations: next } };
}

function withoutLastApplied(config: JsonMap): JsonMap {
  const meta = config.metadata;
  const ann = isMap(meta) ? meta.annotations : undefined;
  if (!isMap(meta) || !isMap(ann)) return config;
  const rest: JsonMap = { ...ann };
  delete rest[LAST_APPLIED_ANNOTATION];
  return { ...config, metadata: { ...meta, annotations: rest } };
}
