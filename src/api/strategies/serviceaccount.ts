// ServiceAccount strategy: name and secret-reference validation, SECRETS table.
import type { ServiceAccount } from 'kubernetes-types/core/v1';
import { invalidEach, isDNS1123Subdomain, nameIsDNSSubdomain, validateObjectMetaFormat } from '../../machinery/validation';
import type { Strategy } from '../types';
import { AGE, age, col } from './table-helpers';

/** The ServiceAccount strategy. */
export const serviceAccountStrategy: Strategy = {
  validate(obj) {
    const sa = obj as ServiceAccount;
    const errs = validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain);
    (sa.imagePullSecrets ?? []).forEach((s, i) => {
      if (s.name) errs.push(...invalidEach(`imagePullSecrets[${i}].name`, s.name, isDNS1123Subdomain(s.name)));
    });
    return errs;
  },
  columns: [col('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE],
  row: (obj, now) => [((obj as ServiceAccount).secrets ?? []).length, age(obj, now)],
};
