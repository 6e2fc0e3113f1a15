// Namespace deletion conditions, pure: what the last pass over a terminating namespace found (upstream namespaceConditionUpdater).
import type { NamespaceCondition } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../util/clock';

/** What one deletion pass found. */
export interface DeletionTotals {
  /** Objects still present per "resource.group" (core resources end with a dot, as upstream prints them). */
  remaining: Map<string, number>;
  /** Finalizers still held by remaining objects, with how many objects hold each. */
  finalizers: Map<string, number>;
  /** Failures deleting or listing content, one message per resource. */
  errors: string[];
}

const TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const OK: Record<(typeof TYPES)[number], { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** The failing conditions the totals call for (the rest are their OK variants). */
function failures(t: DeletionTotals): Map<string, { reason: string; message: string }> {
  const out = new Map<string, { reason: string; message: string }>();
  if (t.errors.length) {
    const msgs = [...t.errors].sort();
    out.set('NamespaceDeletionContentFailure', { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}` });
  }
  const remaining = [...t.remaining].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`).sort();
  if (remaining.length) out.set('NamespaceContentRemaining', { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.join(', ')}` });
  const fins = [...t.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
  if (fins.length) out.set('NamespaceFinalizersRemaining', { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${fins.join(', ')}` });
  return out;
}

/** upstream updateConditions: the namespace's conditions after a pass, and whether they changed. */
export function deletionConditions(old: NamespaceCondition[] | undefined, totals: DeletionTotals, now: number): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = (old ?? []).map((c) => ({ ...c }));
  const failed = failures(totals);
  let changed = false;
  for (const type of TYPES) {
    const f = failed.get(type);
    const want = { status: f ? 'True' : 'False', ...(f ?? OK[type]) };
    const cur = conditions.find((c) => c.type === type);
    if (!cur) {
      conditions.push({ type, ...want, lastTransitionTime: rfc3339(now) });
      changed = true;
    } else if (cur.status !== want.status || cur.reason !== want.reason || cur.message !== want.message) {
      if (cur.status !== want.status) cur.lastTransitionTime = rfc3339(now);
      Object.assign(cur, want);
      changed = true;
    }
  }
  return { conditions, changed };
}

/** The "resource.group" name upstream prints for a resource ("pods." for core). */
export const groupResourceName = (group: string, resource: string) => `${resource}.${group}`;
