// The steps upstream's field manager wraps around the Updater: manager identifiers, write times, system fields, the Update cap, before-first-apply.
import type { SchemaNode } from '../../api/schema';
import { rfc3339 } from '../../util/clock';
import { capUpdateManagers, copyManaged, managerKey, stripSystemFields, type Managed } from './managers';
import { applyConfig, updateOwnership, type UpdaterContext } from './updater';

/** The updater's context plus what identifies and timestamps an entry. */
export interface ChainContext extends UpdaterContext {
  subresource?: string;
  /** Wall-clock time of the write, in ms. */
  now: number;
}

// A stand-in manager while one write is measured, so that its own previous fields do not hide what it changed.
const CURRENT_OPERATION = 'current-operation';

// Who owns the fields of an object that had no managedFields when first applied to.
const BEFORE_FIRST_APPLY = 'before-first-apply';

/** Records a create, update or patch by `manager`: it takes what it changed; its entry's time moves only if it changed something. */
export function recordUpdate(live: unknown, updated: unknown, managed: Managed, manager: string, ctx: ChainContext): Managed {
  const key = managerKey({ manager: manager || 'unknown', operation: 'Update', apiVersion: ctx.apiVersion, subresource: ctx.subresource });
  const m = copyManaged(managed);
  m.sets = updateOwnership(live, updated, m.sets, CURRENT_OPERATION, ctx);
  stripSystemFields(m, CURRENT_OPERATION);
  const took = m.sets.get(CURRENT_OPERATION);
  if (took) {
    m.sets.delete(CURRENT_OPERATION);
    const previous = m.sets.get(key);
    m.sets.set(key, previous ? { ...took, set: took.set.union(previous.set) } : took);
    m.times.set(key, rfc3339(ctx.now));
  }
  capUpdateManagers(m);
  return m;
}

/**
 * Records an apply by `manager` and returns the merged object (undefined when nothing changed). An object that has
 * no managedFields yet gets them first: everything in it is attributed to "before-first-apply" (an Update entry).
 */
export function recordApply(
  live: unknown,
  config: unknown,
  managed: Managed,
  manager: string,
  force: boolean,
  ctx: ChainContext,
): { object: unknown; managed: Managed } {
  const key = managerKey({ manager: manager || 'unknown', operation: 'Apply', subresource: ctx.subresource });
  let m = copyManaged(managed);
  if (!m.sets.size) m = recordUpdate(zeroObject(ctx.schema), live, m, BEFORE_FIRST_APPLY, ctx);
  const r = applyConfig(live, config, m.sets, key, force, ctx);
  m.sets = r.sets;
  stripSystemFields(m, key);
  if (r.object !== undefined) m.times.set(key, rfc3339(ctx.now));
  return { object: r.object, managed: m };
}

/**
 * What upstream compares a new object against: the kind's zero value. Only the structs every kind has are known to
 * be non-pointers in Go (metadata, spec, status); deeper ones are treated as absent, so a creator also owns them as a whole.
 */
export function zeroObject(schema: SchemaNode | undefined): Record<string, unknown> {
  const zero: Record<string, unknown> = { metadata: {} };
  for (const f of ['spec', 'status']) if (schema?.properties?.[f]?.properties) zero[f] = {};
  return zero;
}
