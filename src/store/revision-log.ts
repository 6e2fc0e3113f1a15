// The kine-style row model shared by the memory and SQLite backends: one log row per write, its id the revision.
import * as errors from './errors';
import { KeyValue, StoreError, WatchEvent } from './types';

/** One write in the revision log. A delete is a tombstone row that keeps the last value. */
export interface LogRow {
  revision: number;
  key: string;
  value: string;
  createRevision: number;
  /** Revision of the version this write replaced (0 for a create). */
  prevRevision: number;
  deleted: boolean;
}

/** The live value a (non-tombstone) row holds. */
export function rowToKeyValue(row: LogRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.revision };
}

/**
 * The watch event for a row. `prev` is the row it replaced, when still retained; a tombstone
 * carries the last value itself, so a DELETE always has kv and prevKv.
 */
export function rowToEvent(row: LogRow, prev: LogRow | undefined): WatchEvent {
  if (row.deleted) {
    const last = { key: row.key, value: row.value, createRevision: row.createRevision };
    return {
      type: 'DELETE',
      kv: { ...last, modRevision: row.revision },
      prevKv: { ...last, modRevision: row.prevRevision },
      revision: row.revision,
    };
  }
  const ev: WatchEvent = { type: 'PUT', kv: rowToKeyValue(row), revision: row.revision };
  if (prev && !prev.deleted) ev.prevKv = rowToKeyValue(prev);
  return ev;
}

/**
 * Whether compacting at `revision` may drop `row`: it is older than `revision` and either a
 * tombstone or replaced by a write at or before `revision` (`replacedAt` is that write's revision).
 * The row at exactly `revision` always stays, so a watch from revision-1 can still replay it.
 */
export function droppedByCompaction(row: LogRow, revision: number, replacedAt: number | undefined): boolean {
  if (row.revision >= revision) return false;
  return row.deleted || (replacedAt !== undefined && replacedAt <= revision);
}

/** A write as the in-process backends queue it. */
export interface WriteOp {
  kind: 'create' | 'update' | 'delete';
  key: string;
  /** Unused by delete. */
  value: string;
  ifRevision?: number;
}

/**
 * The row `op` appends at `revision`, given the key's live row, or the StoreError its
 * precondition fails with. The one statement of write semantics for memory and SQLite.
 */
export function applyWrite(op: WriteOp, live: LogRow | undefined, revision: number): LogRow | StoreError {
  if (op.kind === 'create') {
    if (live) return errors.keyExists(op.key, rowToKeyValue(live));
    return { revision, key: op.key, value: op.value, createRevision: revision, prevRevision: 0, deleted: false };
  }
  if (!live) return errors.notFound(op.key);
  if (op.ifRevision !== undefined && op.ifRevision !== live.revision) {
    return errors.conflict(op.key, op.ifRevision, rowToKeyValue(live));
  }
  const value = op.kind === 'delete' ? live.value : op.value;
  return { revision, key: op.key, value, createRevision: live.createRevision, prevRevision: live.revision, deleted: op.kind === 'delete' };
}
