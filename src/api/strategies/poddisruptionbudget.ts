// PodDisruptionBudget strategy: minAvailable xor maxUnavailable, int-or-percent and selector validation, MIN AVAILABLE… table.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { field, type FieldError } from '../../machinery/errors';
import { invalidRendered, nameIsDNSSubdomain, validateLabelSelector, validateObjectMetaFormat } from '../../machinery/validation';
import type { Strategy } from '../types';
import { AGE, age, col } from './table-helpers';
import { notMoreThan100Percent, validatePositiveIntOrPercent } from './workload-validation';

type Spec = NonNullable<PodDisruptionBudget['spec']>;

const ptr = (set: boolean, type: string) => `(*${type})(${set ? '0xc000000000' : 'nil'})`;

/** upstream ValidatePodDisruptionBudgetSpec. */
export function validatePDBSpec(spec: Spec | undefined): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  if (s.minAvailable !== undefined && s.maxUnavailable !== undefined) {
    const rendered = `policy.PodDisruptionBudgetSpec{MinAvailable:${ptr(true, 'intstr.IntOrString')}, Selector:${ptr(!!s.selector, 'v1.LabelSelector')}, MaxUnavailable:${ptr(true, 'intstr.IntOrString')}, UnhealthyPodEvictionPolicy:${ptr(!!s.unhealthyPodEvictionPolicy, 'policy.UnhealthyPodEvictionPolicyType')}}`;
    errs.push(invalidRendered('spec', rendered, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const k of ['minAvailable', 'maxUnavailable'] as const) {
    if (s[k] === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(s[k], `spec.${k}`), ...notMoreThan100Percent(s[k], `spec.${k}`));
  }
  errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
  const policies = ['AlwaysAllow', 'IfHealthyBudget'];
  if (s.unhealthyPodEvictionPolicy !== undefined && !policies.includes(s.unhealthyPodEvictionPolicy))
    errs.push(field.notSupported('spec.unhealthyPodEvictionPolicy', s.unhealthyPodEvictionPolicy, policies));
  return errs;
}

/** The PodDisruptionBudget strategy. */
export const podDisruptionBudgetStrategy: Strategy = {
  prepareForCreate(obj) {
    obj.status = { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  },
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validatePDBSpec(obj.spec)],
  columns: [
    col('Min Available', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', 'integer'),
    AGE,
  ],
  row(obj, now) {
    const pdb = obj as PodDisruptionBudget;
    const text = (v: number | string | undefined) => (v === undefined ? 'N/A' : String(v));
    return [text(pdb.spec?.minAvailable), text(pdb.spec?.maxUnavailable), pdb.status?.disruptionsAllowed ?? 0, age(obj, now)];
  },
};
