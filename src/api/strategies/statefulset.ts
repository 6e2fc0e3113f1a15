// StatefulSet strategy: apps/v1 defaults, upstream validation (the template's pod spec is not validated upstream), update rules, READY table.
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import { field, type FieldError } from '../../machinery/errors';
import { invalidRendered, nameIsDNSSubdomain, semanticEqual, validateAnnotations, validateLabels, validateNonnegative, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { defaultPodTemplate } from './pod-defaults';
import { canonicalizeResourceList, decodingQuantities } from './quantities';
import { AGE, age, col, containerCells } from './table-helpers';
import { intOrPercentValue, restartAlwaysOnly, validatePositiveIntOrPercent, validateReplicas, validateSelectorMatchesTemplate, validateWorkloadSelector } from './workload-validation';

type Spec = NonNullable<StatefulSet['spec']>;

/** SetDefaults_StatefulSet plus template and claim-template defaults. */
export function defaultStatefulSet(obj: KObject): void {
  const spec = (obj.spec ??= {}) as Spec;
  spec.podManagementPolicy ||= 'OrderedReady';
  const us = (spec.updateStrategy ??= {});
  if (!us.type) {
    us.type = 'RollingUpdate';
    us.rollingUpdate ??= {};
  }
  if (us.type === 'RollingUpdate' && us.rollingUpdate) us.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template);
  for (const claim of spec.volumeClaimTemplates ?? []) {
    // Embedded claims serialize with their type meta upstream.
    claim.apiVersion ||= 'v1';
    claim.kind ||= 'PersistentVolumeClaim';
    if (claim.spec) {
      claim.spec.volumeMode ||= 'Filesystem';
      canonicalizeResourceList(claim.spec.resources?.requests as Record<string, unknown>, false);
      canonicalizeResourceList(claim.spec.resources?.limits as Record<string, unknown>, false);
    }
    // SetDefaults_PersistentVolumeClaim applies to the embedded claims too.
    const c = claim as { status?: { phase?: string } };
    c.status = { ...c.status, phase: c.status?.phase || 'Pending' };
  }
}

const RETENTION = ['Retain', 'Delete'];

/** upstream ValidateStatefulSetSpec. */
export function validateStatefulSetSpec(spec: Spec | undefined): FieldError[] {
  const s = spec ?? ({} as Spec);
  const errs: FieldError[] = [];
  const pmp = s.podManagementPolicy ?? '';
  if (!pmp) errs.push(field.required('spec.podManagementPolicy'));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(field.invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = s.updateStrategy ?? {};
  switch (us.type ?? '') {
    case '':
      errs.push(field.required('spec.updateStrategy'));
      break;
    case 'OnDelete':
      if (us.rollingUpdate)
        errs.push(invalidRendered('spec.updateStrategy.rollingUpdate', JSON.stringify(us.rollingUpdate), "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate':
      if (us.rollingUpdate) {
        errs.push(...validateNonnegative(us.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'));
        if (us.rollingUpdate.maxUnavailable !== undefined) {
          const p = 'spec.updateStrategy.rollingUpdate.maxUnavailable';
          errs.push(...validatePositiveIntOrPercent(us.rollingUpdate.maxUnavailable, p));
          if (intOrPercentValue(us.rollingUpdate.maxUnavailable).value === 0) errs.push(field.invalid(p, us.rollingUpdate.maxUnavailable, 'must be greater than 0'));
        }
      }
      break;
    default:
      errs.push(invalidRendered('spec.updateStrategy', JSON.stringify(us), "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention = s.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    for (const k of ['whenDeleted', 'whenScaled'] as const) {
      const v = retention[k] ?? '';
      if (!RETENTION.includes(v)) errs.push(field.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, v, RETENTION));
    }
  }
  errs.push(...validateReplicas(s.replicas));
  errs.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  if (s.ordinals) errs.push(...validateNonnegative(s.ordinals.start, 'spec.ordinals.start'));
  errs.push(...validateWorkloadSelector(s.selector, 'statefulset'));
  errs.push(...validateSelectorMatchesTemplate(s.selector, s.template, 'spec.template'));
  errs.push(...validateLabels(s.template?.metadata?.labels, 'spec.template.labels'));
  errs.push(...validateAnnotations(s.template?.metadata?.annotations, 'spec.template.annotations'));
  errs.push(...restartAlwaysOnly(s.template, 'spec.template', 'StatefulSet'));
  return errs;
}

/** upstream ValidateStatefulSetUpdate: only replicas, ordinals, template, updateStrategy, retention policy and minReadySeconds may change. */
export function validateStatefulSetUpdate(spec: Spec | undefined, old: Spec | undefined): FieldError[] {
  const strip = (s: Spec | undefined) => ({
    ...s,
    replicas: undefined,
    ordinals: undefined,
    template: undefined,
    updateStrategy: undefined,
    persistentVolumeClaimRetentionPolicy: undefined,
    minReadySeconds: undefined,
  });
  if (semanticEqual(strip(spec), strip(old))) return [];
  return [
    field.forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

/** The StatefulSet strategy. */
export const statefulSetStrategy: Strategy = {
  defaults: (obj) => decodingQuantities('StatefulSet', 'v1', () => defaultStatefulSet(obj)),
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateStatefulSetSpec(obj.spec)],
  validateUpdate: (obj, old) => validateStatefulSetUpdate(obj.spec, old.spec),
  columns: [
    col('Ready', 'Number of the pod with ready state'),
    AGE,
    col('Containers', 'Names of each container in the template.', 'string', 1),
    col('Images', 'Images referenced by each container in the template.', 'string', 1),
  ],
  row(obj, now) {
    const s = obj as StatefulSet;
    const [names, images] = containerCells(s.spec?.template?.spec?.containers);
    return [`${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`, age(obj, now), names, images];
  },
};
