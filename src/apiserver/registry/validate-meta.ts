// Metadata checks the registry makes for every kind; name formats, labels and annotations are the strategies' part.
import type { KObject, ResourceInfo } from '../../api/types';
import { field, FieldError } from '../../machinery/errors';

/** Errors in the metadata every object must have. */
export function validateGenericMeta(r: ResourceInfo, obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!obj.metadata.name) errs.push(field.required('metadata.name', 'name or generateName is required'));
  if (r.namespaced && !obj.metadata.namespace) errs.push(field.required('metadata.namespace'));
  if (!r.namespaced && obj.metadata.namespace) errs.push(field.forbidden('metadata.namespace', 'not allowed on this type'));
  return errs;
}
