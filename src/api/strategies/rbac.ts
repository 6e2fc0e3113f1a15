// RBAC strategies (Role, ClusterRole, RoleBinding, ClusterRoleBinding): apiGroup defaults, rule/roleRef/subject validation, tables.
import type { PolicyRule, RoleRef, Subject } from 'kubernetes-types/rbac/v1';
import { field, type FieldError } from '../../machinery/errors';
import { invalidEach, invalidRendered, isDNS1123Subdomain, nameIsPathSegment, validateLabelSelector, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { goQuote } from './go-format';
import { AGE, age, col, CREATED_AT_COLUMNS, createdAtRow } from './table-helpers';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** upstream ValidatePolicyRule. */
export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!rule.verbs?.length) errs.push(field.required(`${path}.verbs`, 'verbs must contain at least one value'));
  if (rule.nonResourceURLs?.length) {
    if (namespaced) errs.push(field.invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (rule.apiGroups?.length || rule.resources?.length || rule.resourceNames?.length)
      errs.push(field.invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    return errs;
  }
  if (!rule.apiGroups?.length) errs.push(field.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!rule.resources?.length) errs.push(field.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(obj: KObject, namespaced: boolean): FieldError[] {
  return ((obj.rules ?? []) as PolicyRule[]).flatMap((r, i) => validatePolicyRule(r, namespaced, `rules[${i}]`));
}

/** SetDefaults_Subject and the roleRef apiGroup default. */
export function defaultBinding(obj: KObject): void {
  if (obj.roleRef && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = RBAC_GROUP;
  for (const s of (obj.subjects ?? []) as Subject[]) {
    if (s.apiGroup) continue;
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}

/** upstream ValidateRoleBindingSubject. */
export function validateSubject(s: Subject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(field.required(`${path}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name) errs.push(...invalidEach(`${path}.name`, s.name, isDNS1123Subdomain(s.name)));
      if (s.apiGroup) errs.push(field.notSupported(`${path}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(field.required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) errs.push(field.notSupported(`${path}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(field.notSupported(`${path}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(obj: KObject, namespaced: boolean): FieldError[] {
  const errs = validateObjectMetaFormat(obj.metadata, namespaced, nameIsPathSegment);
  const ref = (obj.roleRef ?? {}) as RoleRef;
  if (ref.apiGroup !== RBAC_GROUP) errs.push(field.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) errs.push(field.notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(field.required('roleRef.name'));
  else errs.push(...invalidEach('roleRef.name', ref.name, nameIsPathSegment(ref.name, false)));
  ((obj.subjects ?? []) as Subject[]).forEach((s, i) => errs.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  return errs;
}

function roleRefUnchanged(obj: KObject, old: KObject): FieldError[] {
  const a = (obj.roleRef ?? {}) as RoleRef;
  const b = (old.roleRef ?? {}) as RoleRef;
  if (a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name) return [];
  return [invalidRendered('roleRef', `rbac.RoleRef{APIGroup:${goQuote(a.apiGroup ?? '')}, Kind:${goQuote(a.kind ?? '')}, Name:${goQuote(a.name ?? '')}}`, 'cannot change roleRef')];
}

const bindingColumns = (what: string) => [
  col('Role', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
  AGE,
  col('Users', `Users in the ${what}`, 'string', 1),
  col('Groups', `Groups in the ${what}`, 'string', 1),
  col('ServiceAccounts', `ServiceAccounts in the ${what}`, 'string', 1),
];

function bindingRow(obj: KObject, now: number): unknown[] {
  const subjects = (obj.subjects ?? []) as Subject[];
  const of = (kind: string) => subjects.filter((s) => s.kind === kind);
  return [
    `${obj.roleRef?.kind ?? ''}/${obj.roleRef?.name ?? ''}`,
    age(obj, now),
    of('User').map((s) => s.name).join(', '),
    of('Group').map((s) => s.name).join(', '),
    of('ServiceAccount').map((s) => `${s.namespace ?? ''}/${s.name}`).join(', '),
  ];
}

/** The Role strategy (default NAME / CREATED AT table, as upstream). */
export const roleStrategy: Strategy = {
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsPathSegment), ...validateRules(obj, true)],
  columns: CREATED_AT_COLUMNS,
  row: createdAtRow,
};

/** The ClusterRole strategy. */
export const clusterRoleStrategy: Strategy = {
  validate(obj) {
    const errs = [...validateObjectMetaFormat(obj.metadata, false, nameIsPathSegment), ...validateRules(obj, false)];
    const agg = obj.aggregationRule;
    if (agg) {
      if (!agg.clusterRoleSelectors?.length) errs.push(field.required('aggregationRule', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
      (agg.clusterRoleSelectors ?? []).forEach((s: object, i: number) => errs.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)));
    }
    return errs;
  },
  columns: CREATED_AT_COLUMNS,
  row: createdAtRow,
};

/** The RoleBinding strategy. */
export const roleBindingStrategy: Strategy = {
  defaults: defaultBinding,
  validate: (obj) => validateBinding(obj, true),
  validateUpdate: roleRefUnchanged,
  columns: bindingColumns('roleBinding'),
  row: bindingRow,
};

/** The ClusterRoleBinding strategy. */
export const clusterRoleBindingStrategy: Strategy = {
  defaults: defaultBinding,
  validate: (obj) => validateBinding(obj, false),
  validateUpdate: roleRefUnchanged,
  columns: bindingColumns('clusterRoleBinding'),
  row: bindingRow,
};
