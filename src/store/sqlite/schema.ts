// Prepares a tugboat SQLite file: durability pragmas, an exclusive lock, and the kine-style schema.
import { StoreError } from '../types';
import { Database } from './driver';

const schemaVersion = 1;

// `log` is the revision log: its id is the revision, a delete is a tombstone row keeping the last value.
// `kv` maps each live key to its newest log row, so reads of the latest state never scan history.
// `meta` holds the compacted revision.
const schema = `
CREATE TABLE IF NOT EXISTS log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS log_name_id ON log (name, id);
CREATE TABLE IF NOT EXISTS kv (name TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

/**
 * Sets WAL with synchronous=NORMAL (COMMIT writes the WAL without syncing it; the store syncs it off the main thread,
 * wal-sync.ts, before any write is acknowledged) and takes an exclusive lock for the life of the connection: one
 * process owns the file, which keeps the in-memory revision counter and watchers authoritative. A second process gets
 * a clear error.
 */
export function prepareDatabase(db: Database, path: string): void {
  try {
    // Wait briefly for a previous owner that is still exiting; the lock is otherwise held for good.
    db.pragma('busy_timeout = 500');
    db.pragma('locking_mode = EXCLUSIVE');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`could not switch ${path} to WAL mode (got ${String(mode)})`);
    db.pragma('synchronous = NORMAL');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > schemaVersion) {
      throw new Error(`${path} has schema version ${version}; this tugboat understands up to ${schemaVersion}`);
    }
    db.transaction(() => {
      db.exec(schema);
      db.pragma(`user_version = ${schemaVersion}`);
    }).immediate();
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new StoreError('Unavailable', `sqlite store ${path} is locked by another process (is another tugboat running on it?)`);
    }
    throw err;
  }
}
