// Table responses (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`) built from each kind's columns.
import type { ColumnDefinition, KObject, ResourceInfo } from '../api/types';
import { humanDuration } from '../api/strategies/table-helpers';

/** What each table row carries besides its cells (the `includeObject` query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

const AGE_COLUMN: ColumnDefinition = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
};

// Kinds whose tables do not start with the plain name (events; storage classes print "local (default)")
// give their own name column, marked with format "name".
function ownsNameColumn(r: ResourceInfo): boolean {
  return !!r.strategy.columns?.some((c) => c.format === 'name');
}

/** The column definitions of a kind's table (NAME first unless the kind places its own). */
export function columnsOf(r: ResourceInfo): object[] {
  const cols = r.strategy.columns ?? [AGE_COLUMN];
  return ownsNameColumn(r) ? cols : [NAME_COLUMN, ...cols];
}

function ageOf(obj: KObject, now: number): string {
  const t = obj.metadata.creationTimestamp;
  return t ? humanDuration(now - Date.parse(String(t))) : '<unknown>';
}

/** One row: NAME, the kind's cells, and the object as `includeObject` asks. */
export function rowOf(r: ResourceInfo, obj: KObject, now: number, include: IncludeObject): object {
  const own = r.strategy.row ? r.strategy.row(obj, now) : [ageOf(obj, now)];
  const cells = ownsNameColumn(r) ? own : [obj.metadata.name, ...own];
  const row: Record<string, unknown> = { cells };
  if (include === 'Object') row.object = obj;
  else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
  return row;
}

/** A whole Table for a list (or a single object); `withColumns` false omits definitions (later watch events). */
export function toTable(
  r: ResourceInfo,
  objs: KObject[],
  opts: { now: number; include: IncludeObject; resourceVersion?: string; continueToken?: string; remainingItemCount?: number; withColumns?: boolean },
): object {
  const metadata: Record<string, unknown> = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continueToken) metadata.continue = opts.continueToken;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.withColumns === false ? null : columnsOf(r),
    rows: objs.map((o) => rowOf(r, o, opts.now, opts.include)),
  };
}
