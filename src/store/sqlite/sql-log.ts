// The revision log kept in SQL (kine's bottom layer): synchronous reads and writes over the log, kv and meta tables.
import { prefixEnd } from '../keys';
import { LogRow, rowToEvent } from '../revision-log';
import { WatchEvent } from '../types';
import { Database, Statement } from './driver';

/** Columns that read a log row (aliased `l`) as a LogRow, apart from `deleted` which SQLite returns as 0/1. */
const rowColumns =
  'l.id AS revision, l.name AS key, l.value AS value, l.create_revision AS createRevision, l.prev_revision AS prevRevision, l.deleted AS deleted';

type RawRow = Omit<LogRow, 'deleted'> & { deleted: number };

function toRow(raw: RawRow): LogRow {
  return { ...raw, deleted: raw.deleted === 1 };
}

/** A key range as SQL: keys under `prefix` and, when given, strictly after `startAfter`. */
function keyRange(column: string, prefix: string, startAfter: string | undefined) {
  const end = prefixEnd(prefix);
  const after = startAfter !== undefined && startAfter >= prefix;
  const sql = [after ? `${column} > @lo` : `${column} >= @lo`, ...(end === undefined ? [] : [`${column} < @hi`])].join(' AND ');
  return { sql, params: { lo: after ? startAfter : prefix, ...(end === undefined ? {} : { hi: end }) } };
}

/** Synchronous access to one database's revision log; callers own transactions. */
export class SqlLog {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  /** The newest revision ever assigned (AUTOINCREMENT's counter survives deletes, so revisions are never reused). */
  lastRevision(): number {
    const row = this.stmt(`SELECT seq FROM sqlite_sequence WHERE name = 'log'`).get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  compactedRevision(): number {
    const row = this.stmt(`SELECT value FROM meta WHERE name = 'compacted_revision'`).get() as { value: number } | undefined;
    return row?.value ?? 0;
  }

  /** The live row of `key`, if the key exists. */
  live(key: string): LogRow | undefined {
    const raw = this.stmt(`SELECT ${rowColumns} FROM kv JOIN log l ON l.id = kv.revision WHERE kv.name = @key`).get({ key });
    return raw ? toRow(raw as RawRow) : undefined;
  }

  /** Appends `row` at its revision and points the key's live entry at it (or drops it, for a tombstone). */
  append(row: LogRow): void {
    this.stmt(
      `INSERT INTO log (id, name, create_revision, prev_revision, deleted, value)
       VALUES (@revision, @key, @createRevision, @prevRevision, @deleted, @value)`,
    ).run({ ...row, deleted: row.deleted ? 1 : 0 });
    if (row.deleted) this.stmt(`DELETE FROM kv WHERE name = @key`).run({ key: row.key });
    else this.stmt(`INSERT OR REPLACE INTO kv (name, revision) VALUES (@key, @revision)`).run(row);
  }

  /** Live rows under `prefix` after `startAfter`, by key, at most `limit` (-1: all). */
  listLatest(prefix: string, startAfter: string | undefined, limit: number): LogRow[] {
    const r = keyRange('kv.name', prefix, startAfter);
    const sql = `SELECT ${rowColumns} FROM kv JOIN log l ON l.id = kv.revision WHERE ${r.sql} ORDER BY kv.name LIMIT @limit`;
    return this.stmt(sql).all({ ...r.params, limit }).map((raw) => toRow(raw as RawRow));
  }

  countLatest(prefix: string, startAfter?: string): number {
    const r = keyRange('name', prefix, startAfter);
    return (this.stmt(`SELECT COUNT(*) AS n FROM kv WHERE ${r.sql}`).get(r.params) as { n: number }).n;
  }

  /**
   * Rows live at `revision`: per key the newest row at or before it, unless a tombstone.
   * SQLite fills the other columns of a MAX() aggregate from the row holding the maximum.
   */
  listAt(prefix: string, startAfter: string | undefined, limit: number, revision: number): LogRow[] {
    const sql = `SELECT revision, key, value, createRevision, prevRevision, deleted FROM (${this.newestAt(prefix, startAfter)})
      WHERE deleted = 0 ORDER BY key LIMIT @limit`;
    const params = { ...keyRange('l.name', prefix, startAfter).params, revision, limit };
    return this.stmt(sql).all(params).map((raw) => toRow(raw as RawRow));
  }

  countAt(prefix: string, startAfter: string | undefined, revision: number): number {
    const sql = `SELECT COUNT(*) AS n FROM (${this.newestAt(prefix, startAfter)}) WHERE deleted = 0`;
    const params = { ...keyRange('l.name', prefix, startAfter).params, revision };
    return (this.stmt(sql).get(params) as { n: number }).n;
  }

  /** Events under `prefix` with revision > `after`, in order; PUTs carry the replaced row when retained. */
  history(prefix: string, after: number): WatchEvent[] {
    const r = keyRange('l.name', prefix, undefined);
    const sql = `SELECT ${rowColumns}, p.value AS prevValue FROM log l LEFT JOIN log p ON p.id = l.prev_revision
      WHERE l.id > @after AND ${r.sql} ORDER BY l.id`;
    return this.stmt(sql)
      .all({ ...r.params, after })
      .map((raw) => {
        const { prevValue, ...rest } = raw as RawRow & { prevValue: string | null };
        const row = toRow(rest);
        const prev: LogRow | undefined =
          prevValue === null ? undefined : { ...row, revision: row.prevRevision, value: prevValue, deleted: false };
        return rowToEvent(row, prev);
      });
  }

  /**
   * Drops the rows no read at or after `revision` needs (see droppedByCompaction): tombstones
   * older than it, and rows replaced at or before it. Rows replaced at or before the previous
   * compaction are gone already, so only replacements after `previous` are scanned.
   */
  compact(previous: number, revision: number): void {
    this.stmt(
      `DELETE FROM log WHERE id < @revision AND id IN
         (SELECT prev_revision FROM log WHERE id > @previous AND id <= @revision AND prev_revision > 0)`,
    ).run({ previous, revision });
    this.stmt(`DELETE FROM log WHERE id >= @previous AND id < @revision AND deleted = 1`).run({ previous, revision });
    this.stmt(`INSERT OR REPLACE INTO meta (name, value) VALUES ('compacted_revision', @revision)`).run({ revision });
  }

  /** Per key under the range, the newest row at or before @revision. */
  private newestAt(prefix: string, startAfter: string | undefined): string {
    const r = keyRange('l.name', prefix, startAfter);
    return `SELECT MAX(l.id) AS revision, l.name AS key, l.value AS value, l.create_revision AS createRevision,
      l.prev_revision AS prevRevision, l.deleted AS deleted FROM log l WHERE ${r.sql} AND l.id <= @revision GROUP BY l.name`;
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}
