// The default backend: a revision log in one SQLite file (WAL, synced off the main thread before writes are acknowledged), with group commit and in-process watch.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AutoCompactOptions, checkAutoCompactOptions, startAutoCompaction } from '../auto-compact';
import * as errors from '../errors';
import { LogRow, WriteOp, applyWrite, rowToEvent, rowToKeyValue } from '../revision-log';
import { KeyValue, ListOptions, ListResult, Store, StoreError, WatchHandle, WatchOptions } from '../types';
import { WatchFanout } from '../watch-fanout';
import { Database, openDatabase } from './driver';
import { GroupCommit, Outcome } from './group-commit';
import { prepareDatabase } from './schema';
import { WalSync } from './wal-sync';
import { SqlLog } from './sql-log';

/** Options for SqliteStore. */
export interface SqliteStoreOptions extends AutoCompactOptions {
  /** The database file; its directory is created if missing. */
  path: string;
  /**
   * Key prefixes whose writes need not be durable when acknowledged (Events): a batch of only such writes starts no
   * WAL sync of its own and rides on the next one. Each fdatasync here costs milliseconds once the runtime writes to
   * the same disk, and a pod start writes four Events beside its three object writes; upstream keeps Events apart
   * (their own etcd, a TTL) for the same reason. A machine crash may lose the last such writes; a killed tugboat does
   * not (they are in the page cache), and the file stays consistent either way.
   */
  bestEffortPrefixes?: readonly string[];
}

/**
 * A Store in one SQLite file. Writes of one event-loop turn commit in one transaction; once the WAL holding it is on
 * disk, watchers get the commit's events, then the writers' promises settle. Nothing is published or acknowledged
 * before it is durable, except batches of best-effort writes (bestEffortPrefixes), which are published in revision
 * order behind the sync of the batch before them.
 */
export class SqliteStore implements Store {
  private readonly db: Database;
  private readonly log: SqlLog;
  private readonly writes: GroupCommit<WriteOp, KeyValue>;
  private readonly fanout = new WatchFanout();
  private readonly wal: WalSync;
  /** The sync the last durable batch waits for: later batches publish after it, in commit order. */
  private lastSync: Promise<void> = Promise.resolve();
  private readonly stopCompaction: () => void;
  /** Newest committed revision; this process owns the file, so memory is authoritative. */
  private rev: number;
  private compactRev: number;
  private closed = false;

  constructor(private readonly opts: SqliteStoreOptions) {
    checkAutoCompactOptions(opts);
    mkdirSync(dirname(opts.path), { recursive: true });
    this.db = openDatabase(opts.path);
    try {
      prepareDatabase(this.db, opts.path);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.wal = new WalSync(`${opts.path}-wal`);
    this.log = new SqlLog(this.db);
    this.rev = this.log.lastRevision();
    this.compactRev = this.log.compactedRevision();
    this.writes = new GroupCommit((ops) => this.commit(ops));
    this.stopCompaction = startAutoCompaction(this, opts);
  }

  /** Group-commit counters: transactions committed and writes carried. */
  get stats(): { transactions: number; writes: number } {
    return { ...this.writes.stats };
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    const row = this.log.live(key);
    return row && rowToKeyValue(row);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const revision = opts.revision || this.rev;
    if (revision > this.rev) throw errors.futureRevision(revision, this.rev);
    if (revision < this.compactRev) throw errors.compacted(revision, this.compactRev);
    const limit = opts.limit || -1;
    const latest = revision === this.rev;
    const rows = latest
      ? this.log.listLatest(prefix, opts.startAfter, limit)
      : this.log.listAt(prefix, opts.startAfter, limit, revision);
    let remaining = 0;
    if (limit > 0 && rows.length === limit) {
      const last = rows[rows.length - 1].key;
      remaining = latest ? this.log.countLatest(prefix, last) : this.log.countAt(prefix, last, revision);
    }
    return { items: rows.map(rowToKeyValue), revision, remaining };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    return this.log.countLatest(prefix);
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.submit({ kind: 'create', key, value });
  }

  update(key: string, value: string, ifRevision?: number): Promise<KeyValue> {
    return this.submit({ kind: 'update', key, value, ifRevision });
  }

  delete(key: string, ifRevision?: number): Promise<KeyValue> {
    return this.submit({ kind: 'delete', key, value: '', ifRevision });
  }

  watch(prefix: string, opts: WatchOptions): WatchHandle {
    const after = opts.afterRevision || this.rev;
    if (this.closed || after < this.compactRev - 1) {
      const err = this.closed ? errors.closed() : errors.compacted(after + 1, this.compactRev);
      queueMicrotask(() => opts.onError(err));
      return { stop() {} };
    }
    // Read in the same synchronous turn as registration: no commit can fall between backlog and live events.
    return this.fanout.add(prefix, after, this.log.history(prefix, after), opts);
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
    this.db.transaction(() => this.log.compact(this.compactRev, revision)).immediate();
    this.compactRev = revision;
  }

  /** Commits queued writes (and waits for them to be durable), ends watches with Closed, and releases the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.stopCompaction();
    this.writes.flush();
    this.closed = true;
    await this.wal.sync().catch(() => undefined);
    this.fanout.failAll(errors.closed());
    this.wal.close();
    this.db.close();
  }

  private submit(op: WriteOp): Promise<KeyValue> {
    if (this.closed) return Promise.reject(errors.closed());
    return this.writes.submit(op);
  }

  /** Applies one batch in one IMMEDIATE transaction, checking each write's precondition in order; settles once durable. */
  private commit(ops: WriteOp[]): Promise<Outcome<KeyValue>[]> {
    const outcomes: Outcome<KeyValue>[] = [];
    const applied: { row: LogRow; prev: LogRow | undefined }[] = [];
    const run = this.db.transaction(() => {
      let next = this.rev;
      for (const op of ops) {
        const live = this.log.live(op.key);
        const row = applyWrite(op, live, next + 1);
        if (row instanceof StoreError) {
          outcomes.push({ ok: false, error: row });
          continue;
        }
        this.log.append(row);
        next = row.revision;
        applied.push({ row, prev: live });
        outcomes.push({ ok: true, value: rowToKeyValue(row) });
      }
    });
    try {
      run.immediate();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code?.startsWith('SQLITE_')) {
        throw new StoreError('Unavailable', `sqlite store ${this.opts.path}: write failed: ${(err as Error).message}`);
      }
      throw err;
    }
    if (applied.length > 0) this.rev = applied[applied.length - 1].row.revision;
    const events = applied.map(({ row, prev }) => rowToEvent(row, prev));
    const bestEffort = this.opts.bestEffortPrefixes;
    if (bestEffort?.length && ops.every((op) => bestEffort.some((p) => op.key.startsWith(p)))) {
      const publish = () => {
        this.fanout.publish(events);
        return outcomes;
      };
      return this.lastSync.then(publish, publish);
    }
    this.lastSync = this.wal.sync();
    return this.lastSync.then(
      () => {
        this.fanout.publish(events);
        return outcomes;
      },
      (err: Error) => {
        // Committed but perhaps not on disk: watchers still follow the file; the writers learn it may not last.
        this.fanout.publish(events);
        throw new StoreError('Unavailable', `sqlite store ${this.opts.path}: syncing the write-ahead log failed: ${err.message}`);
      },
    );
  }

  private checkOpen(): void {
    if (this.closed) throw errors.closed();
  }
}
