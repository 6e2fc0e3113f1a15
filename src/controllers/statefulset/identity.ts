// StatefulSet pod identity: ordinals, stable names and labels, hostname/subdomain, per-ordinal claims and their owner refs.
import type { StatefulSetSpec, StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, PersistentVolumeClaimSpec, Volume } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KObject } from '../../api/types';
import type { ControllerKind } from '../shared/controller-ref';
import { newControllerRef } from '../shared/controller-ref';
import { getPodFromTemplate } from '../shared/pod-control';
import type { Pod } from '../shared/types';
import { CONTROLLER_REVISION_HASH_LABEL } from '../shared/history';

/** A StatefulSet (spec.replicas, updateStrategy and podManagementPolicy are set by defaulting). */
export interface StatefulSet extends KObject {
  spec: StatefulSetSpec;
  status?: StatefulSetStatus;
}

/** A PersistentVolumeClaim with metadata always present. */
export type Claim = PersistentVolumeClaim & KObject & { spec?: PersistentVolumeClaimSpec };

/** apps/v1 StatefulSet, the kind of the controller refs this controller writes. */
export const STATEFULSET_KIND: ControllerKind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

/** Label with the pod's own name, for per-pod services. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** Label with the pod's ordinal (PodIndexLabel, on by default since 1.28). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

const ORDINAL_RE = /^(.*)-([0-9]+)$/;

/** upstream getParentNameAndOrdinal: the set name and ordinal a pod name encodes; ordinal -1 when it encodes none. */
export function parentAndOrdinal(name: string): { parent: string; ordinal: number } {
  const m = ORDINAL_RE.exec(name);
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1], ordinal: n <= 2 ** 31 - 1 ? n : -1 };
}

/** The ordinal of a pod, -1 when its name has none. */
export function getOrdinal(pod: KObject): number {
  return parentAndOrdinal(pod.metadata.name ?? '').ordinal;
}

/** The first ordinal (spec.ordinals.start, default 0). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

/** The last ordinal in range (start + replicas - 1). */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + (set.spec.replicas ?? 1) - 1;
}

/** True when the pod's ordinal is one the set currently wants. */
export function podInOrdinalRange(pod: KObject, set: StatefulSet): boolean {
  const o = getOrdinal(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

/** "<set>-<ordinal>". */
export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** "<template>-<set>-<ordinal>", the claim a pod of that ordinal mounts. */
export function claimName(set: StatefulSet, template: string, ordinal: number): string {
  return `${template}-${set.metadata.name}-${ordinal}`;
}

/** upstream isMemberOf: the pod's name says it belongs to the set. */
export function isMemberOf(set: StatefulSet, pod: KObject): boolean {
  return parentAndOrdinal(pod.metadata.name ?? '').parent === set.metadata.name;
}

/** upstream identityMatches: name, namespace and the pod-name/pod-index labels agree with the ordinal. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod.metadata.name ?? '');
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name &&
    pod.metadata.labels?.[POD_INDEX_LABEL] === String(ordinal)
  );
}

/** upstream updateIdentity: the pod-name and pod-index labels (mutates pod). */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = getOrdinal(pod);
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  const labels = (pod.metadata.labels ??= {});
  labels[POD_NAME_LABEL] = pod.metadata.name;
  labels[POD_INDEX_LABEL] = String(ordinal);
}

/** upstream getPersistentVolumeClaims: the claims a pod of `ordinal` needs, keyed by template name. */
export function claimsFor(set: StatefulSet, ordinal: number): Map<string, Claim> {
  const claims = new Map<string, Claim>();
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const template = t as Claim;
    const name = template.metadata?.name ?? '';
    const claim: Claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(set, name, ordinal),
        namespace: set.metadata.namespace,
        labels: { ...template.metadata?.labels, ...set.spec.selector?.matchLabels },
      },
      spec: structuredClone(template.spec ?? {}),
    };
    if (template.metadata?.annotations) claim.metadata.annotations = { ...template.metadata.annotations };
    claims.set(name, claim);
  }
  return claims;
}

/** upstream storageMatches: every claim template is mounted from this ordinal's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec.volumes ?? []).map((v) => [v.name, v]));
  for (const [template, claim] of claimsFor(set, ordinal)) {
    if (volumes.get(template)?.persistentVolumeClaim?.claimName !== claim.metadata.name) return false;
  }
  return true;
}

/** upstream updateStorage: claim volumes replace any same-named volumes (mutates pod). */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = claimsFor(set, getOrdinal(pod));
  const volumes: Volume[] = [...claims].map(([name, c]) => ({ name, persistentVolumeClaim: { claimName: c.metadata.name! } }));
  for (const v of pod.spec.volumes ?? []) if (!claims.has(v.name)) volumes.push(v);
  pod.spec.volumes = volumes;
}

/** upstream newStatefulSetPod + setPodRevision: the pod of `ordinal` from `template`, at revision `revision`. */
export function newStatefulSetPod(set: StatefulSet, template: StatefulSetSpec['template'], ordinal: number, revision: string): Pod {
  const pod = getPodFromTemplate(template, set, newControllerRef(set, STATEFULSET_KIND));
  delete pod.metadata.generateName;
  pod.metadata.name = podName(set, ordinal);
  updateIdentity(set, pod);
  // initIdentity: hostname and subdomain are set only at creation (they are immutable).
  pod.spec.hostname = pod.metadata.name;
  if (set.spec.serviceName) pod.spec.subdomain = set.spec.serviceName;
  updateStorage(set, pod);
  pod.metadata.labels![CONTROLLER_REVISION_HASH_LABEL] = revision;
  return pod;
}

/** The revision a pod was made from (its controller-revision-hash label). */
export function getPodRevision(pod: KObject): string {
  return pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}

function plainRef(owner: KObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid! };
}

/**
 * upstream updateClaimOwnerRefForSetAndPod: the owner refs a claim should carry under the retention policy — the set
 * when whenDeleted=Delete (and the pod is in range), the pod when whenScaled=Delete and the pod is scaled away.
 */
export function claimOwnerRefs(claim: Claim, set: StatefulSet, pod: KObject): OwnerReference[] {
  const policy = set.spec.persistentVolumeClaimRetentionPolicy ?? {};
  const deleteWithSet = policy.whenDeleted === 'Delete';
  const deleteOnScale = policy.whenScaled === 'Delete';
  const scaledDown = !podInOrdinalRange(pod, set);
  const others = (claim.metadata.ownerReferences ?? []).filter((r) => r.uid !== set.metadata.uid && r.uid !== pod.metadata.uid);
  const refs = [...others];
  if (deleteWithSet && !(deleteOnScale && scaledDown)) refs.push(plainRef(set, STATEFULSET_KIND.apiVersion, STATEFULSET_KIND.kind));
  if (deleteOnScale && scaledDown && pod.metadata.uid) refs.push(plainRef(pod, 'v1', 'Pod'));
  return refs;
}

/** True when the claim's owner refs already follow the retention policy. */
export function claimOwnerRefsMatch(claim: Claim, set: StatefulSet, pod: KObject): boolean {
  const want = claimOwnerRefs(claim, set, pod).map((r) => r.uid).sort();
  const have = (claim.metadata.ownerReferences ?? []).map((r) => r.uid).sort();
  return want.length === have.length && want.every((u, i) => u === have[i]);
}
