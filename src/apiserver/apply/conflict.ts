// Apply conflicts: the internal signal that another manager owns a changed field, and the 409 Status upstream answers with.
import { StatusError } from '../../machinery/errors';
import type { FieldSet } from './field-set';
import { parseManagerKey } from './managers';
import { pathString, type Path } from './path';

/** One field whose value the apply changes while `manager` (an identifier) owns it. */
export interface Conflict {
  manager: string;
  path: Path;
}

/** Thrown by the merge when an apply without force would take fields from other managers. */
export class ApplyConflicts extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} apply conflicts`);
  }
}

/** Conflicts from per-manager sets, managers sorted by identifier and paths in set order. */
export function conflictsFromSets(sets: Map<string, FieldSet>): Conflict[] {
  return [...sets.keys()].sort().flatMap((manager) => sets.get(manager)!.paths().map((path) => ({ manager, path })));
}

/** Upstream's 409: `Apply failed with 1 conflict: conflict with "x" using apps/v1: .spec.replicas`, one cause per field. */
export function conflictError(conflicts: Conflict[]): StatusError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathString(c.path),
  }));
  return new StatusError(409, 'Conflict', conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0];
    return `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathString(c.path)}`;
  }
  const byManager = new Map<string, Path[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(manager)}:`);
    for (const p of byManager.get(manager)!) lines.push(`- ${pathString(p)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** A manager as upstream names it in messages: `"kubectl"`, `"kubelet" with subresource "status" using v1`. */
export function printManager(key: string): string {
  const id = parseManagerKey(key);
  let s = JSON.stringify(id.manager);
  if (id.subresource) s += ` with subresource ${JSON.stringify(id.subresource)}`;
  // Identifiers never carry a time, so upstream's "at <time>" form does not arise.
  if (id.operation === 'Update') s += ` using ${id.apiVersion ?? ''}`;
  return s;
}
