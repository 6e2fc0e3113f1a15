// PriorityClass strategy: preemptionPolicy default, value limits and system names, immutable value/policy, VALUE/GLOBAL-DEFAULT table.
import { field, type FieldError } from '../../machinery/errors';
import { nameIsDNSSubdomain, validateImmutableField, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { AGE, age, col } from './table-helpers';

/** upstream HighestUserDefinablePriority. */
export const HIGHEST_USER_PRIORITY = 1000000000;
const SYSTEM_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

/** upstream ValidatePriorityClass (beyond metadata). */
export function validatePriorityClassFields(pc: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = pc.metadata.name ?? '';
  if (name.startsWith('system-')) {
    const known = SYSTEM_CLASSES[name];
    const why =
      known === undefined
        ? `${name} is not a known system priority class`
        : known !== pc.value
          ? `value of ${name} PriorityClass must be ${known}`
          : pc.globalDefault
            ? `globalDefault of ${name} PriorityClass must be false`
            : '';
    if (why) errs.push(field.forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if ((pc.value ?? 0) > HIGHEST_USER_PRIORITY) {
    errs.push(field.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  if (pc.preemptionPolicy !== undefined && !['PreemptLowerPriority', 'Never'].includes(pc.preemptionPolicy))
    errs.push(field.notSupported('preemptionPolicy', pc.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  return errs;
}

/** The PriorityClass strategy. */
export const priorityClassStrategy: Strategy = {
  defaults(obj) {
    obj.preemptionPolicy ||= 'PreemptLowerPriority';
  },
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, false, nameIsDNSSubdomain), ...validatePriorityClassFields(obj)],
  validateUpdate(obj, old) {
    const errs: FieldError[] = [];
    if (obj.value !== old.value) errs.push(field.forbidden('value', 'may not be changed in an update.'));
    errs.push(...validateImmutableField(obj.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
    return errs;
  },
  columns: [
    col('Value', 'value represents the integer value of this priority class.', 'integer'),
    col('Global-Default', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.', 'boolean'),
    AGE,
    col('PreemptionPolicy', 'preemptionPolicy is the Policy for preempting pods with lower priority.', 'string', 1),
  ],
  row: (obj, now) => [obj.value ?? 0, obj.globalDefault ?? false, age(obj, now), obj.preemptionPolicy ?? ''],
};
