// Looks up the strategy of a kind and the storage conversion of a served version; each kind's strategy lives in its own file here.
import type { StorageBinding, Strategy } from '../types';
import { configMapStrategy } from './configmap';
import { controllerRevisionStrategy } from './controllerrevision';
import { cronJobStrategy } from './cronjob';
import { daemonSetStrategy } from './daemonset';
import { deploymentStrategy } from './deployment';
import { endpointsStrategy } from './endpoints';
import { endpointSliceStrategy } from './endpointslice';
import { eventStrategy, eventsV1Strategy } from './event';
import { eventsV1Binding } from './event-conversion';
import { hpaStrategy } from './hpa';
import { hpaV1Binding } from './hpa-conversion';
import { ingressStrategy } from './ingress';
import { ingressClassStrategy } from './ingressclass';
import { jobStrategy } from './job';
import { leaseStrategy } from './lease';
import { limitRangeStrategy } from './limitrange';
import { namespaceStrategy } from './namespace';
import { networkPolicyStrategy } from './networkpolicy';
import { nodeStrategy } from './node';
import { persistentVolumeStrategy } from './persistentvolume';
import { persistentVolumeClaimStrategy } from './persistentvolumeclaim';
import { podStrategy } from './pod';
import { podDisruptionBudgetStrategy } from './poddisruptionbudget';
import { priorityClassStrategy } from './priorityclass';
import { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy } from './rbac';
import { replicaSetStrategy } from './replicaset';
import { resourceQuotaStrategy } from './resourcequota';
import { secretStrategy } from './secret';
import { serviceStrategy } from './service';
import { serviceAccountStrategy } from './serviceaccount';
import { statefulSetStrategy } from './statefulset';
import { storageClassStrategy } from './storageclass';

const strategies: Record<string, Strategy> = {
  '/Namespace': namespaceStrategy,
  '/Pod': podStrategy,
  '/Service': serviceStrategy,
  '/Endpoints': endpointsStrategy,
  '/ConfigMap': configMapStrategy,
  '/Secret': secretStrategy,
  '/ServiceAccount': serviceAccountStrategy,
  '/Node': nodeStrategy,
  '/Event': eventStrategy,
  '/PersistentVolume': persistentVolumeStrategy,
  '/PersistentVolumeClaim': persistentVolumeClaimStrategy,
  '/ResourceQuota': resourceQuotaStrategy,
  '/LimitRange': limitRangeStrategy,
  'apps/Deployment': deploymentStrategy,
  'apps/ReplicaSet': replicaSetStrategy,
  'apps/StatefulSet': statefulSetStrategy,
  'apps/DaemonSet': daemonSetStrategy,
  'apps/ControllerRevision': controllerRevisionStrategy,
  'batch/Job': jobStrategy,
  'batch/CronJob': cronJobStrategy,
  'autoscaling/HorizontalPodAutoscaler': hpaStrategy,
  'networking.k8s.io/Ingress': ingressStrategy,
  'networking.k8s.io/IngressClass': ingressClassStrategy,
  'networking.k8s.io/NetworkPolicy': networkPolicyStrategy,
  'policy/PodDisruptionBudget': podDisruptionBudgetStrategy,
  'rbac.authorization.k8s.io/Role': roleStrategy,
  'rbac.authorization.k8s.io/ClusterRole': clusterRoleStrategy,
  'rbac.authorization.k8s.io/RoleBinding': roleBindingStrategy,
  'rbac.authorization.k8s.io/ClusterRoleBinding': clusterRoleBindingStrategy,
  'storage.k8s.io/StorageClass': storageClassStrategy,
  'coordination.k8s.io/Lease': leaseStrategy,
  'discovery.k8s.io/EndpointSlice': endpointSliceStrategy,
  'events.k8s.io/Event': eventsV1Strategy,
  'scheduling.k8s.io/PriorityClass': priorityClassStrategy,
};

/** The strategy for group/kind (empty strategy when the kind needs nothing special). */
export function strategyFor(group: string, kind: string): Strategy {
  return strategies[`${group}/${kind}`] ?? {};
}

const conversions: Record<string, StorageBinding> = {
  'autoscaling/v1/HorizontalPodAutoscaler': hpaV1Binding,
  'events.k8s.io/v1/Event': eventsV1Binding,
};

/** The storage conversion for a version that is not stored as is (HPA autoscaling/v1, events.k8s.io/v1 Event). */
export function conversionFor(group: string, version: string, kind: string): StorageBinding | undefined {
  return conversions[`${group}/${version}/${kind}`];
}
