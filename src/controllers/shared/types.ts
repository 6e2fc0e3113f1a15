// The workload objects controllers read and write, typed enough to work with (kubernetes-types marks status read-only).
import type { DeploymentSpec, DeploymentStatus, ReplicaSetSpec, ReplicaSetStatus } from 'kubernetes-types/apps/v1';
import type { PodSpec, PodStatus } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';

/** A core/v1 Pod. */
export interface Pod extends KObject {
  spec: PodSpec;
  status?: PodStatus;
}

/** An apps/v1 ReplicaSet (spec.replicas is always set after defaulting). */
export interface ReplicaSet extends KObject {
  spec: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

/** An apps/v1 Deployment (spec.replicas and spec.strategy are always set after defaulting). */
export interface Deployment extends KObject {
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

/** spec.replicas of a ReplicaSet or Deployment; the API server defaults it to 1. */
export function specReplicas(obj: { spec: { replicas?: number } }): number {
  return obj.spec.replicas ?? 1;
}
