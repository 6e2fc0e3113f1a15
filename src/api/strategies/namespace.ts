// Namespace strategy: metadata.name label, Active phase and the kubernetes finalizer at create, finalizer validation, STATUS table.
import { field, type FieldError } from '../../machinery/errors';
import { invalidEach, isQualifiedName, nameIsDNSLabel, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { AGE, age, col } from './table-helpers';

/** The label every namespace carries with its own name. */
export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

function setNameLabel(obj: KObject): void {
  if (obj.metadata.name) (obj.metadata.labels ??= {})[METADATA_NAME_LABEL] = obj.metadata.name;
}

/** spec.finalizers: qualified names, or one of the standard ones when unqualified. */
export function validateNamespaceFinalizers(finalizers: string[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) {
    errs.push(...invalidEach('spec.finalizers', f, isQualifiedName(f)));
    if (!f.includes('/') && !STANDARD_FINALIZERS.includes(f))
      errs.push(field.invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

/** The Namespace strategy. */
export const namespaceStrategy: Strategy = {
  defaults(obj) {
    setNameLabel(obj);
    if (obj.status && !obj.status.phase) obj.status.phase = 'Active';
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Active' };
    const spec = (obj.spec ??= {});
    if (!(spec.finalizers ?? []).includes('kubernetes')) spec.finalizers = [...(spec.finalizers ?? []), 'kubernetes'];
    setNameLabel(obj);
  },
  prepareForUpdate(obj, old) {
    // Only the finalize subresource changes spec.finalizers.
    obj.spec = { ...obj.spec, finalizers: old.spec?.finalizers };
    if (!old.spec?.finalizers) delete obj.spec.finalizers;
  },
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, false, nameIsDNSLabel), ...validateNamespaceFinalizers(obj.spec?.finalizers)],
  columns: [col('Status', 'The status of the namespace'), AGE],
  row: (obj, now) => [obj.status?.phase ?? '', age(obj, now)],
  selectableFields: (obj) => ({ 'status.phase': obj.status?.phase ?? '' }),
};
