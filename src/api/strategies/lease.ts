// Lease strategy: duration and transition validation, HOLDER table.
import { field, type FieldError } from '../../machinery/errors';
import { nameIsDNSSubdomain, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { AGE, age, col } from './table-helpers';

/** upstream ValidateLeaseSpec. */
export function validateLeaseSpec(spec: KObject['spec']): FieldError[] {
  const errs: FieldError[] = [];
  if (spec?.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0)
    errs.push(field.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  if (spec?.leaseTransitions !== undefined && spec.leaseTransitions < 0)
    errs.push(field.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  if (spec?.strategy !== undefined && spec.strategy !== 'OldestEmulationVersion')
    errs.push(field.notSupported('spec.strategy', spec.strategy, ['OldestEmulationVersion']));
  if (spec?.preferredHolder && !spec.strategy) errs.push(field.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  return errs;
}

/** The Lease strategy. */
export const leaseStrategy: Strategy = {
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateLeaseSpec(obj.spec)],
  columns: [col('Holder', 'holderIdentity contains the identity of the holder of a current lease.'), AGE],
  row: (obj, now) => [obj.spec?.holderIdentity ?? '', age(obj, now)],
};
