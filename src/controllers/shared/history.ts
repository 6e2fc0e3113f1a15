// ControllerRevision history (upstream pkg/controller/history), shared by the StatefulSet and DaemonSet controllers: names, equality, truncation.
import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import type { KObject } from '../../api/types';
import type { ControllerKind } from './controller-ref';
import { getControllerOf, newControllerRef } from './controller-ref';
import { canonicalJson } from './hash';

/** The label carrying a revision's hash on revisions and on the pods made from them. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** A ControllerRevision as controllers handle it (metadata is always present). */
export type Revision = ControllerRevision & KObject;

/** upstream ControllerRevisionName: "<prefix>-<hash>", the prefix cut to keep the name within 253 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** The patch a revision stores: the pod template, replacing whatever the object has when applied. */
export function templatePatch(template: unknown): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...(structuredClone(template) as Record<string, unknown>), $patch: 'replace' } } };
}

/** The pod template a revision made by templatePatch restores. */
export function templateOfRevision(rev: Revision): Record<string, unknown> | undefined {
  const t = (rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (!t) return undefined;
  const { $patch: _, ...template } = t;
  void _;
  return template;
}

/** upstream NewControllerRevision: owned by `parent`, labelled with the template labels and the hash. */
export function newControllerRevision(
  parent: KObject,
  kind: ControllerKind,
  templateLabels: Record<string, string> | undefined,
  data: unknown,
  revision: number,
  hash: string,
): Revision {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(parent.metadata.name!, hash),
      namespace: parent.metadata.namespace,
      labels: { ...templateLabels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [newControllerRef(parent, kind)],
    },
    data: data as Revision['data'],
    revision,
  };
}

/** upstream EqualRevision: the same stored data. */
export function equalRevision(a: Revision, b: Revision): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/** Revisions controlled by `owner`, oldest (lowest revision number) first. */
export function ownedRevisions(revisions: Revision[], owner: KObject): Revision[] {
  return revisions.filter((r) => getControllerOf(r)?.uid === owner.metadata.uid).sort(byRevision);
}

/** Orders revisions by revision number, then by creation time and name (upstream's byRevision). */
export function byRevision(a: Revision, b: Revision): number {
  if (a.revision !== b.revision) return a.revision - b.revision;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

/** upstream nextRevision: one above the newest revision number, 1 for none. */
export function nextRevision(sorted: Revision[]): number {
  return sorted.length ? sorted[sorted.length - 1].revision + 1 : 1;
}

/**
 * Where the newest template stands in the history: reuse the newest revision when it is equal, bump the number of an
 * older equal revision (a rollback), or create `candidate`.
 */
export function findUpdateRevision(sorted: Revision[], candidate: Revision): { reuse: Revision } | { bump: Revision } | { create: Revision } {
  const equal = sorted.filter((r) => equalRevision(r, candidate));
  if (!equal.length) return { create: candidate };
  const newestEqual = equal[equal.length - 1];
  if (newestEqual === sorted[sorted.length - 1]) return { reuse: newestEqual };
  return { bump: newestEqual };
}

/** upstream truncateHistory: the oldest revisions no live pod or current/update revision uses, beyond `limit`. */
export function revisionsToTruncate(sorted: Revision[], live: Set<string>, limit: number): Revision[] {
  const history = sorted.filter((r) => !live.has(r.metadata.name!));
  return history.length <= limit ? [] : history.slice(0, history.length - limit);
}
