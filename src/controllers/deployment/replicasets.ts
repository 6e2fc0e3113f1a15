// A Deployment's ReplicaSets: which is new and which are old, orderings, the new ReplicaSet's shape and name, and which old ones to clean up.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { semanticEqual } from '../../machinery/validation';
import { newControllerRef } from '../shared/controller-ref';
import type { ControllerKind } from '../shared/controller-ref';
import { parseTime } from '../shared/pod-util';
import type { Deployment, ReplicaSet } from '../shared/types';
import { specReplicas } from '../shared/types';

/** The label that keeps each ReplicaSet's pods apart (its value, the template hash, is also the ReplicaSet's name suffix). */
export const DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = 'pod-template-hash';

/** apps/v1 Deployment, the kind of the controller refs on its ReplicaSets. */
export const DEPLOYMENT_KIND: ControllerKind = { apiVersion: 'apps/v1', kind: 'Deployment' };

/** Upstream ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
}

/** Upstream ReplicaSetsBySizeOlder: larger first, then older first. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(a, b);
}

/** Upstream ReplicaSetsBySizeNewer: larger first, then newer first. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(b, a);
}

/** ReplicaSets with spec.replicas > 0. */
export function filterActiveReplicaSets(rss: (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);
}

function withoutHash(t: PodTemplateSpec | undefined): PodTemplateSpec {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) delete c.metadata.labels[DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY];
  return c;
}

/** Two pod templates are the same rollout when they are semantically equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

/** The ReplicaSet whose template is the Deployment's (the oldest such one, deterministically). */
export function findNewReplicaSet(d: Deployment, rsList: ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** Every ReplicaSet but the new one. */
export function findOldReplicaSets(d: Deployment, rsList: ReplicaSet[]): ReplicaSet[] {
  const newRS = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => !newRS || rs.metadata.uid !== newRS.metadata.uid);
}

/** The only active ReplicaSet, or the newest one when none is active; undefined when several are active. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && !oldRSs.length) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/**
 * The new ReplicaSet of a rollout: named "<deployment>-<hash>" so that creating it is idempotent, the hash label
 * added to its template, labels and selector, owned by the Deployment. Replicas and annotations are set by the caller.
 */
export function newReplicaSetFor(d: Deployment, hash: string): ReplicaSet {
  const template = structuredClone(d.spec.template);
  const labels = { ...(template.metadata?.labels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
  template.metadata = { ...template.metadata, labels };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
  const spec: ReplicaSet['spec'] = { replicas: 0, selector, template };
  if (d.spec.minReadySeconds) spec.minReadySeconds = d.spec.minReadySeconds;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...labels },
      ownerReferences: [newControllerRef(d, DEPLOYMENT_KIND)],
    },
    spec,
  };
}

/** The largest int32: a revisionHistoryLimit or progressDeadlineSeconds of this value means "no limit". */
export const MAX_INT32 = 2 ** 31 - 1;

/** True when old ReplicaSets beyond spec.revisionHistoryLimit are deleted. */
export function hasRevisionHistoryLimit(d: Deployment): boolean {
  return d.spec.revisionHistoryLimit !== undefined && d.spec.revisionHistoryLimit !== MAX_INT32;
}

/**
 * Upstream cleanupDeployment without the deletes: the oldest old ReplicaSets beyond revisionHistoryLimit, skipping
 * any that still have replicas, are being deleted, or whose latest spec the ReplicaSet controller has not seen.
 */
export function replicaSetsToCleanUp(d: Deployment, oldRSs: ReplicaSet[]): ReplicaSet[] {
  if (!hasRevisionHistoryLimit(d)) return [];
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byCreationTimestamp);
  const diff = alive.length - d.spec.revisionHistoryLimit!;
  if (diff <= 0) return [];
  return alive
    .slice(0, diff)
    .filter((rs) => (rs.status?.replicas ?? 0) === 0 && specReplicas(rs) === 0 && (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0));
}
