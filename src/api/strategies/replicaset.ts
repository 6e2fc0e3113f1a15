// ReplicaSet strategy: replicas default, upstream validation, immutable selector, DESIRED/CURRENT/READY table, status.replicas field selector.
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { nameIsDNSSubdomain, validateNonnegative, validateObjectMetaFormat } from '../../machinery/validation';
import type { Strategy } from '../types';
import { defaultPodTemplate } from './pod-defaults';
import { decodingQuantities } from './quantities';
import { AGE, age, col, containerCells, formatLabelSelector } from './table-helpers';
import { selectorImmutable, validateReplicas, validateTemplateForReplicaSet, validateWorkloadSelector } from './workload-validation';

/** The ReplicaSet strategy. */
export const replicaSetStrategy: Strategy = {
  defaults: (obj) =>
    decodingQuantities('ReplicaSet', 'v1', () => {
      const spec = (obj.spec ??= {});
      spec.replicas ??= 1;
      defaultPodTemplate(spec.template);
    }),
  validate(obj) {
    const spec = (obj.spec ?? {}) as NonNullable<ReplicaSet['spec']>;
    return [
      ...validateObjectMetaFormat(obj.metadata, true, nameIsDNSSubdomain),
      ...validateReplicas(spec.replicas),
      ...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'),
      // upstream says "deployment" here too.
      ...validateWorkloadSelector(spec.selector, 'deployment'),
      ...validateTemplateForReplicaSet(spec.selector, spec.template, 'spec.template', 'ReplicaSet'),
    ];
  },
  validateUpdate: (obj, old) => selectorImmutable(obj.spec?.selector, old.spec?.selector),
  columns: [
    col('Desired', 'Replicas is the number of desired pods.', 'integer'),
    col('Current', 'Replicas is the most recently observed number of replicas.', 'integer'),
    col('Ready', 'The number of ready replicas for this replica set.', 'integer'),
    AGE,
    col('Containers', 'Names of each container in the template.', 'string', 1),
    col('Images', 'Images referenced by each container in the template.', 'string', 1),
    col('Selector', 'Selector is a label query over pods that should match the replica count.', 'string', 1),
  ],
  row(obj, now) {
    const rs = obj as ReplicaSet;
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [rs.spec?.replicas ?? 0, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0, age(obj, now), names, images, formatLabelSelector(rs.spec?.selector)];
  },
  selectableFields: (obj) => ({ 'status.replicas': String((obj as ReplicaSet).status?.replicas ?? 0) }),
};
