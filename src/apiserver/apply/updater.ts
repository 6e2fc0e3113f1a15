// The ownership engine (structured-merge-diff's merge.Updater): field sets after an update, and the merged, pruned object after an apply.
import type { SchemaNode } from '../../api/schema';
import { compareObjects, excludeFields, type Comparison } from './compare';
import { ApplyConflicts, conflictsFromSets } from './conflict';
import { FieldSet } from './field-set';
import type { VersionedSet } from './managers';
import { mergeValues } from './merge';
import { ensureNamedFieldsAreMembers } from './named-fields';
import { removeItems } from './remove';
import { fieldSetFromObject } from './to-field-set';
import { deepEqual } from './values';

/** Per-manager field sets, keyed by manager identifier. */
export type ManagedSets = Map<string, VersionedSet>;

/** What every step needs: the kind's schema, the request's API version, and fields no one may own through this endpoint. */
export interface UpdaterContext {
  schema: SchemaNode | undefined;
  apiVersion: string;
  /** Upstream's reset fields (e.g. `status` on the main resource): excluded from ownership and conflicts. */
  ignored?: FieldSet;
}

// Takes changed fields away from every manager but `workflow`; without force, changed fields owned by others are conflicts.
// All managers are compared at the request's version: tugboat has no field-path conversion between versions.
function reassign(
  old: unknown,
  updated: unknown,
  sets: ManagedSets,
  workflow: string,
  force: boolean,
  ctx: UpdaterContext,
): { sets: ManagedSets; comparison: Comparison } {
  const comparison = excludeFields(compareObjects(old, updated, ctx.schema, ctx.ignored), ctx.ignored);
  const changed = comparison.modified.union(comparison.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [manager, vs] of sets) {
    if (manager === workflow) continue;
    const taken = vs.set.intersection(changed);
    if (!taken.isEmpty()) conflicts.set(manager, taken);
  }
  if (!force && conflicts.size) throw new ApplyConflicts(conflictsFromSets(conflicts));
  const out: ManagedSets = new Map();
  for (const [manager, vs] of sets) {
    let set = vs.set;
    if (manager !== workflow) set = set.difference(conflicts.get(manager) ?? new FieldSet()).difference(comparison.removed);
    if (!set.isEmpty()) out.set(manager, { ...vs, set });
  }
  return { sets: out, comparison };
}

/** Ownership after a create, update or patch by `manager`: it takes every field it added or changed. */
export function updateOwnership(live: unknown, updated: unknown, sets: ManagedSets, manager: string, ctx: UpdaterContext): ManagedSets {
  const r = reassign(live, updated, sets, manager, true, ctx);
  const c = r.comparison;
  let set = (r.sets.get(manager)?.set ?? new FieldSet()).difference(c.removed).union(c.modified).union(c.added);
  if (ctx.ignored) set = set.recursiveDifference(ctx.ignored);
  if (set.isEmpty()) r.sets.delete(manager);
  else r.sets.set(manager, { set, apiVersion: ctx.apiVersion, applied: false });
  return r.sets;
}

/**
 * The apply merge: `config` laid over `live`, then fields `manager` applied last time but not now removed unless someone
 * else owns them. `object` is undefined when the result equals `live`. Throws ApplyConflicts unless `force`.
 */
export function applyConfig(
  live: unknown,
  config: unknown,
  sets: ManagedSets,
  manager: string,
  force: boolean,
  ctx: UpdaterContext,
): { object: unknown; sets: ManagedSets } {
  let merged = mergeValues(live, config, ctx.schema);
  const last = sets.get(manager);
  let set = fieldSetFromObject(config, ctx.schema);
  if (ctx.ignored) set = set.recursiveDifference(ctx.ignored);
  const withApplied: ManagedSets = new Map(sets);
  withApplied.set(manager, { set, apiVersion: ctx.apiVersion, applied: true });
  if (last && !last.set.isEmpty()) merged = prune(merged, withApplied, last.set, ctx.schema);
  const r = reassign(live, merged, withApplied, manager, force, ctx);
  return { object: deepEqual(live, merged) ? undefined : merged, sets: r.sets };
}

// Removes what `last` owned unless a manager (this one's new config included) owns it, and only things `last` owned:
// unowned siblings survive. Struct fields count as owned when fields below them are (EnsureNamedFieldsAreMembers).
function prune(merged: unknown, sets: ManagedSets, last: FieldSet, schema: SchemaNode | undefined): unknown {
  const named = (s: FieldSet) => ensureNamedFieldsAreMembers(s, schema);
  const fieldsOf = (v: unknown) => named(fieldSetFromObject(v, schema));
  const lastNamed = named(last);
  let owned = new FieldSet();
  for (const vs of sets.values()) owned = owned.union(vs.set);
  const mergedSet = fieldsOf(merged);
  const pruned = removeItems(merged, lastNamed, schema);
  const keptOwned = removeItems(merged, mergedSet.difference(fieldsOf(pruned).union(named(owned))), schema);
  return removeItems(merged, mergedSet.difference(fieldsOf(keptOwned)).intersection(lastNamed), schema);
}
