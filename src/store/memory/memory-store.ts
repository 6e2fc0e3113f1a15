// In-memory backend with the full semantics of the durable ones (revision log, history, watch, compaction); for tests.
import { AutoCompactOptions, checkAutoCompactOptions, startAutoCompaction } from '../auto-compact';
import * as errors from '../errors';
import { compareKeys, hasPrefix } from '../keys';
import { LogRow, WriteOp, applyWrite, droppedByCompaction, rowToEvent, rowToKeyValue } from '../revision-log';
import { KeyValue, ListOptions, ListResult, Store, StoreError, WatchHandle, WatchOptions } from '../types';
import { WatchFanout } from '../watch-fanout';

/** Options for MemoryStore. */
export type MemoryStoreOptions = AutoCompactOptions;

/** A Store kept in process memory; every write applies at once and is visible to watchers before its promise settles. */
export class MemoryStore implements Store {
  /** Every retained row by revision; a Map iterates in insertion (revision) order. */
  private readonly log = new Map<number, LogRow>();
  private readonly live = new Map<string, LogRow>();
  private readonly fanout = new WatchFanout();
  private rev = 0;
  private compactRev = 0;
  private closed = false;
  private readonly stopCompaction: () => void;

  constructor(opts: MemoryStoreOptions = {}) {
    checkAutoCompactOptions(opts);
    this.stopCompaction = startAutoCompaction(this, opts);
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    const row = this.live.get(key);
    return row && rowToKeyValue(row);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const revision = opts.revision || this.rev;
    this.checkReadable(revision);
    const rows = revision === this.rev ? [...this.live.values()] : this.rowsAt(revision);
    const matching = rows
      .filter((r) => hasPrefix(r.key, prefix) && (opts.startAfter === undefined || r.key > opts.startAfter))
      .sort((a, b) => compareKeys(a.key, b.key));
    const items = (opts.limit ? matching.slice(0, opts.limit) : matching).map(rowToKeyValue);
    return { items, revision, remaining: matching.length - items.length };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    let n = 0;
    for (const key of this.live.keys()) if (hasPrefix(key, prefix)) n++;
    return n;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    return this.write({ kind: 'create', key, value });
  }

  async update(key: string, value: string, ifRevision?: number): Promise<KeyValue> {
    return this.write({ kind: 'update', key, value, ifRevision });
  }

  async delete(key: string, ifRevision?: number): Promise<KeyValue> {
    return this.write({ kind: 'delete', key, value: '', ifRevision });
  }

  watch(prefix: string, opts: WatchOptions): WatchHandle {
    const after = opts.afterRevision || this.rev;
    if (this.closed || after < this.compactRev - 1) {
      const err = this.closed ? errors.closed() : errors.compacted(after + 1, this.compactRev);
      queueMicrotask(() => opts.onError(err));
      return { stop() {} };
    }
    const backlog = [];
    for (const row of this.log.values()) {
      if (row.revision > after && hasPrefix(row.key, prefix)) backlog.push(rowToEvent(row, this.log.get(row.prevRevision)));
    }
    return this.fanout.add(prefix, after, backlog, opts);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.rev;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compactRev;
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    if (revision > this.rev) throw errors.futureRevision(revision, this.rev);
    if (revision <= this.compactRev) return;
    const replacedAt = new Map<number, number>();
    for (const row of this.log.values()) if (row.prevRevision) replacedAt.set(row.prevRevision, row.revision);
    for (const row of this.log.values()) {
      if (droppedByCompaction(row, revision, replacedAt.get(row.revision))) this.log.delete(row.revision);
    }
    this.compactRev = revision;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopCompaction();
    this.fanout.failAll(errors.closed());
  }

  private write(op: WriteOp): KeyValue {
    this.checkOpen();
    const row = applyWrite(op, this.live.get(op.key), this.rev + 1);
    if (row instanceof StoreError) throw row;
    this.rev = row.revision;
    const prev = row.prevRevision ? this.log.get(row.prevRevision) : undefined;
    this.log.set(row.revision, row);
    if (row.deleted) this.live.delete(row.key);
    else this.live.set(row.key, row);
    this.fanout.publish([rowToEvent(row, prev)]);
    return rowToKeyValue(row);
  }

  /** The live rows as of `revision`: per key, the newest row at or before it, unless a tombstone. */
  private rowsAt(revision: number): LogRow[] {
    const latest = new Map<string, LogRow>();
    for (const row of this.log.values()) {
      if (row.revision > revision) break;
      latest.set(row.key, row);
    }
    return [...latest.values()].filter((r) => !r.deleted);
  }

  private checkReadable(revision: number): void {
    if (revision > this.rev) throw errors.futureRevision(revision, this.rev);
    if (revision < this.compactRev) throw errors.compacted(revision, this.compactRev);
  }

  private checkOpen(): void {
    if (this.closed) throw errors.closed();
  }
}
