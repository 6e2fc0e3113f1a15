// Deployment strategy: apps/v1 defaults, upstream spec validation, immutable selector, and the READY/UP-TO-DATE/AVAILABLE table.
import type { Deployment } from 'kubernetes-types/apps/v1';
import { field, type FieldError } from '../../machinery/errors';
import { nameIsDNSSubdomain, semanticEqual, validateNonnegative, validateObjectMetaFormat } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { defaultPodTemplate } from './pod-defaults';
import { decodingQuantities } from './quantities';
import { AGE, age, col, containerCells, selectorString } from './table-helpers';
import {
  selectorImmutable,
  unsupportedStrategy,
  validateReplicas,
  validateRollingUpdate,
  validateTemplateForReplicaSet,
  validateWorkloadSelector,
} from './workload-validation';

/** SetDefaults_Deployment plus pod-template defaults. */
export function defaultDeployment(obj: KObject): void {
  const spec = (obj.spec ??= {}) as Deployment['spec'] & object;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template);
}

/** upstream ValidateDeploymentSpec. */
export function validateDeploymentSpec(spec: Deployment['spec']): FieldError[] {
  const s = spec ?? ({} as NonNullable<Deployment['spec']>);
  const errs = validateReplicas(s.replicas);
  errs.push(...validateWorkloadSelector(s.selector, 'deployment'));
  errs.push(...validateTemplateForReplicaSet(s.selector, s.template, 'spec.template', 'ReplicaSet'));
  const st = s.strategy ?? {};
  switch (st.type) {
    case 'Recreate':
      if (st.rollingUpdate) errs.push(field.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate':
      if (!st.rollingUpdate) errs.push(field.required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
      else errs.push(...validateRollingUpdate(st.rollingUpdate, 'spec.strategy.rollingUpdate'));
      break;
    default:
      errs.push(unsupportedStrategy('spec.strategy', 'apps.DeploymentStrategy', 'apps.RollingUpdateDeployment', st.type ?? '', !!st.rollingUpdate, ['Recreate', 'RollingUpdate']));
  }
  errs.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (s.progressDeadlineSeconds !== undefined) {
    errs.push(...validateNonnegative(s.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0))
      errs.push(field.invalid('spec.progressDeadlineSeconds', s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

/** The Deployment strategy. */
export const deploymentStrategy: Strategy = {
  defaults: (obj) => decodingQuantities('Deployment', 'v1', () => defaultDeployment(obj)),
  prepareForUpdate(obj, old) {
    // Annotation changes (rollback, change-cause) also bump the generation for deployments.
    if (semanticEqual(obj.spec, old.spec) && !semanticEqual(obj.metadata.annotations, old.metadata.annotations))
      obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
  },
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain), ...validateDeploymentSpec(obj.spec)],
  validateUpdate: (obj, old) => selectorImmutable(obj.spec?.selector, old.spec?.selector),
  columns: [
    col('Ready', 'Number of the pod with ready state'),
    col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE,
    col('Containers', 'Names of each container in the template.', 'string', 1),
    col('Images', 'Images referenced by each container in the template.', 'string', 1),
    col('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 'string', 1),
  ],
  row(obj, now) {
    const d = obj as Deployment;
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      age(obj, now),
      names,
      images,
      selectorString(d.spec?.selector),
    ];
  },
};
