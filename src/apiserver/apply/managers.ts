// managedFields entries: decoding them into per-manager field sets keyed like upstream's manager identifiers, and encoding them back.
import { FieldSet } from './field-set';
import { fieldsV1ToSet, setToFieldsV1, type FieldsV1 } from './fields-v1';
import { fieldPE } from './path';
import { goJson, isMap } from './values';

/** One metav1.ManagedFieldsEntry as JSON. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: FieldsV1;
  subresource?: string;
}

/** The fields one manager owns, at the API version it used; `applied` for Apply entries. */
export interface VersionedSet {
  set: FieldSet;
  apiVersion: string;
  applied: boolean;
}

/** Every manager's fields and last write time, keyed by manager identifier (see managerKey). */
export interface Managed {
  sets: Map<string, VersionedSet>;
  times: Map<string, string | undefined>;
}

/** What tells managers apart: name, operation, subresource, and for Update managers the API version. */
export interface ManagerIdentity {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  subresource?: string;
}

/** A fresh, empty Managed. */
export function emptyManaged(): Managed {
  return { sets: new Map(), times: new Map() };
}

/** A copy whose maps can be changed without touching the original (sets are immutable). */
export function copyManaged(m: Managed): Managed {
  return { sets: new Map(m.sets), times: new Map(m.times) };
}

/**
 * The identifier upstream builds: the entry as JSON without time and fields, and without apiVersion for appliers,
 * so an applier keeps one entry across versions while updaters get one per version.
 */
export function managerKey(id: ManagerIdentity): string {
  const parts: string[] = [];
  if (id.manager) parts.push(`"manager":${goJson(id.manager)}`);
  parts.push(`"operation":${goJson(id.operation)}`);
  if (id.operation === 'Update' && id.apiVersion) parts.push(`"apiVersion":${goJson(id.apiVersion)}`);
  if (id.subresource) parts.push(`"subresource":${goJson(id.subresource)}`);
  return `{${parts.join(',')}}`;
}

/** The identity inside a manager identifier. */
export function parseManagerKey(key: string): ManagerIdentity {
  const o = JSON.parse(key) as Partial<ManagerIdentity>;
  return { manager: o.manager ?? '', operation: o.operation ?? 'Update', apiVersion: o.apiVersion, subresource: o.subresource };
}

/** Decodes metadata.managedFields; throws with upstream's messages on a malformed entry. */
export function decodeManagedFields(entries: unknown): Managed {
  const m = emptyManaged();
  if (entries === undefined || entries === null) return m;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((raw, i) => {
    const e = (isMap(raw) ? raw : {}) as ManagedFieldsEntry;
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (!e.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const key = managerKey({ manager: e.manager ?? '', operation: e.operation, apiVersion: e.apiVersion, subresource: e.subresource });
    m.sets.set(key, { set: fieldsV1ToSet(e.fieldsV1 ?? {}), apiVersion: e.apiVersion, applied: e.operation === 'Apply' });
    m.times.set(key, e.time);
  });
  return m;
}

/** Encodes managers as metadata.managedFields in upstream's order (Apply first, then oldest first); undefined when there are none. */
export function encodeManagedFields(m: Managed): ManagedFieldsEntry[] | undefined {
  if (!m.sets.size) return undefined;
  const out: ManagedFieldsEntry[] = [];
  for (const [key, vs] of m.sets) {
    const id = parseManagerKey(key);
    const e: ManagedFieldsEntry = {};
    if (id.manager) e.manager = id.manager;
    e.operation = vs.applied ? 'Apply' : id.operation;
    e.apiVersion = vs.apiVersion;
    const time = m.times.get(key);
    if (time) e.time = time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = setToFieldsV1(vs.set);
    if (id.subresource) e.subresource = id.subresource;
    out.push(e);
  }
  return out.sort(compareEntries);
}

function compareEntries(p: ManagedFieldsEntry, q: ManagedFieldsEntry): number {
  return (
    cmp(p.operation ?? '', q.operation ?? '') ||
    seconds(p.time) - seconds(q.time) ||
    cmp(p.manager ?? '', q.manager ?? '') ||
    cmp(p.apiVersion ?? '', q.apiVersion ?? '') ||
    cmp(p.subresource ?? '', q.subresource ?? '')
  );
}

function seconds(t: string | undefined): number {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Upstream's cap on Update entries: past it, the oldest are merged into an "ancient-changes" entry per version. */
export const MAX_UPDATE_MANAGERS = 10;

/** Merges the oldest Update entries into "ancient-changes" buckets until at most `max` remain; changes `m`. */
export function capUpdateManagers(m: Managed, max = MAX_UPDATE_MANAGERS): void {
  const updaters = [...m.sets].filter(([, vs]) => !vs.applied).map(([k]) => k);
  if (updaters.length <= max) return;
  updaters.sort((a, b) => seconds(m.times.get(a)) - seconds(m.times.get(b)) || cmp(a, b));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const key = updaters[i];
    const vs = m.sets.get(key)!;
    const bucket = managerKey({ manager: 'ancient-changes', operation: 'Update', apiVersion: vs.apiVersion });
    const first = firstOfVersion.get(vs.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(vs.apiVersion, key);
      continue;
    }
    if (!m.sets.has(bucket)) {
      m.sets.set(bucket, m.sets.get(first)!);
      m.sets.delete(first);
    }
    m.sets.set(bucket, { set: vs.set.union(m.sets.get(bucket)!.set), apiVersion: vs.apiVersion, applied: vs.applied });
    m.sets.delete(key);
    length--;
    // The merged entry is as recent as its newest part.
    m.times.set(bucket, m.times.get(key));
  }
}

// Fields the server sets on every object: no one owns them (upstream's stripMetaManager).
const SYSTEM_FIELDS = FieldSet.of(
  [fieldPE('apiVersion')],
  [fieldPE('kind')],
  [fieldPE('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [
    fieldPE('metadata'),
    fieldPE(f),
  ]),
);

/** Drops server-set metadata from one manager's set, and the manager when nothing is left; changes `m`. */
export function stripSystemFields(m: Managed, key: string): void {
  const vs = m.sets.get(key);
  if (!vs) return;
  const set = vs.set.difference(SYSTEM_FIELDS);
  if (set.isEmpty()) m.sets.delete(key);
  else m.sets.set(key, { ...vs, set });
}
