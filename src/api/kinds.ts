// The table of served resources: REST names, scope, short names, subresources; strategies come from ./strategies.
import { conversionFor, strategyFor } from './strategies';
import type { ResourceInfo, ScaleInfo, StorageBinding } from './types';

interface Row {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  status?: boolean;
  scale?: ScaleInfo;
  /** Package path of the OpenAPI definition, e.g. "io.k8s.api.apps.v1". */
  pkg: string;
}

const replicasScale: ScaleInfo = {
  specReplicasPath: 'spec.replicas',
  statusReplicasPath: 'status.replicas',
  labelSelectorPath: 'status.selector',
};

const rows: Row[] = [
  // core/v1
  { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false, shortNames: ['ns'], status: true, pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'], status: true, pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'Service', resource: 'services', namespaced: true, shortNames: ['svc'], categories: ['all'], status: true, pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'Endpoints', resource: 'endpoints', namespaced: true, shortNames: ['ep'], pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true, shortNames: ['cm'], pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'Secret', resource: 'secrets', namespaced: true, pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'ServiceAccount', resource: 'serviceaccounts', namespaced: true, shortNames: ['sa'], pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'Node', resource: 'nodes', namespaced: false, shortNames: ['no'], status: true, pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'Event', resource: 'events', namespaced: true, shortNames: ['ev'], pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'PersistentVolume', resource: 'persistentvolumes', namespaced: false, shortNames: ['pv'], status: true, pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', namespaced: true, shortNames: ['pvc'], status: true, pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'ResourceQuota', resource: 'resourcequotas', namespaced: true, shortNames: ['quota'], status: true, pkg: 'io.k8s.api.core.v1' },
  { group: '', version: 'v1', kind: 'LimitRange', resource: 'limitranges', namespaced: true, shortNames: ['limits'], pkg: 'io.k8s.api.core.v1' },
  // apps/v1
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true, shortNames: ['deploy'], categories: ['all'], status: true, scale: replicasScale, pkg: 'io.k8s.api.apps.v1' },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets', namespaced: true, shortNames: ['rs'], categories: ['all'], status: true, scale: replicasScale, pkg: 'io.k8s.api.apps.v1' },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', resource: 'statefulsets', namespaced: true, shortNames: ['sts'], categories: ['all'], status: true, scale: replicasScale, pkg: 'io.k8s.api.apps.v1' },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', resource: 'daemonsets', namespaced: true, shortNames: ['ds'], categories: ['all'], status: true, pkg: 'io.k8s.api.apps.v1' },
  { group: 'apps', version: 'v1', kind: 'ControllerRevision', resource: 'controllerrevisions', namespaced: true, pkg: 'io.k8s.api.apps.v1' },
  // batch/v1
  { group: 'batch', version: 'v1', kind: 'Job', resource: 'jobs', namespaced: true, categories: ['all'], status: true, pkg: 'io.k8s.api.batch.v1' },
  { group: 'batch', version: 'v1', kind: 'CronJob', resource: 'cronjobs', namespaced: true, shortNames: ['cj'], categories: ['all'], status: true, pkg: 'io.k8s.api.batch.v1' },
  // autoscaling: v2 is stored, v1 is converted (see strategies/hpa-conversion.ts)
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', namespaced: true, shortNames: ['hpa'], categories: ['all'], status: true, pkg: 'io.k8s.api.autoscaling.v2' },
  { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', namespaced: true, shortNames: ['hpa'], categories: ['all'], status: true, pkg: 'io.k8s.api.autoscaling.v1' },
  // networking.k8s.io/v1
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', resource: 'ingresses', namespaced: true, shortNames: ['ing'], status: true, pkg: 'io.k8s.api.networking.v1' },
  { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', resource: 'ingressclasses', namespaced: false, pkg: 'io.k8s.api.networking.v1' },
  { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', resource: 'networkpolicies', namespaced: true, shortNames: ['netpol'], pkg: 'io.k8s.api.networking.v1' },
  // policy/v1
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets', namespaced: true, shortNames: ['pdb'], status: true, pkg: 'io.k8s.api.policy.v1' },
  // rbac.authorization.k8s.io/v1
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', resource: 'roles', namespaced: true, pkg: 'io.k8s.api.rbac.v1' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', resource: 'clusterroles', namespaced: false, pkg: 'io.k8s.api.rbac.v1' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', resource: 'rolebindings', namespaced: true, pkg: 'io.k8s.api.rbac.v1' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', resource: 'clusterrolebindings', namespaced: false, pkg: 'io.k8s.api.rbac.v1' },
  // storage.k8s.io/v1
  { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', resource: 'storageclasses', namespaced: false, shortNames: ['sc'], pkg: 'io.k8s.api.storage.v1' },
  // coordination.k8s.io/v1
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', resource: 'leases', namespaced: true, pkg: 'io.k8s.api.coordination.v1' },
  // discovery.k8s.io/v1
  { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', resource: 'endpointslices', namespaced: true, pkg: 'io.k8s.api.discovery.v1' },
  // events.k8s.io/v1 shares storage with core/v1 events (see strategies/event-conversion.ts)
  { group: 'events.k8s.io', version: 'v1', kind: 'Event', resource: 'events', namespaced: true, shortNames: ['ev'], pkg: 'io.k8s.api.events.v1' },
  // scheduling.k8s.io/v1
  { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', resource: 'priorityclasses', namespaced: false, shortNames: ['pc'], pkg: 'io.k8s.api.scheduling.v1' },
];

function toResourceInfo(r: Row, storage?: StorageBinding): ResourceInfo {
  return {
    group: r.group,
    version: r.version,
    kind: r.kind,
    resource: r.resource,
    singular: r.kind.toLowerCase(),
    namespaced: r.namespaced,
    shortNames: r.shortNames,
    categories: r.categories,
    status: r.status,
    scale: r.scale,
    strategy: strategyFor(r.group, r.kind),
    definition: `${r.pkg}.${r.kind}`,
    storage,
  };
}

/** Every served resource version. Order matters for discovery: the first version of a group is preferred. */
export function builtinResources(): ResourceInfo[] {
  return rows.map((r) => toResourceInfo(r, conversionFor(r.group, r.version, r.kind)));
}
