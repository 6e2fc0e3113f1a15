// ControllerRevision strategy: name and revision checks, immutable data, CONTROLLER/REVISION table.
import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import { field } from '../../machinery/errors';
import { nameIsDNSSubdomain, validateImmutableField, validateNonnegative, validateObjectMetaFormat } from '../../machinery/validation';
import type { Strategy } from '../types';
import { AGE, age, col } from './table-helpers';

/** The ControllerRevision strategy. */
export const controllerRevisionStrategy: Strategy = {
  validate(obj) {
    const cr = obj as ControllerRevision;
    const errs = [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateNonnegative(cr.revision, 'revision')];
    if (cr.data === undefined || cr.data === null) errs.push(field.required('data', 'data is mandatory'));
    return errs;
  },
  validateUpdate: (obj, old) => validateImmutableField(obj.data, old.data, 'data'),
  columns: [col('Controller', 'Controller of the object'), col('Revision', 'Revision indicates the revision of the state represented by Data.'), AGE],
  row(obj, now) {
    const ref = obj.metadata.ownerReferences?.find((r) => r.controller);
    let controller = '<none>';
    if (ref) {
      const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
      controller = `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
    }
    return [controller, (obj as ControllerRevision).revision, age(obj, now)];
  },
};
