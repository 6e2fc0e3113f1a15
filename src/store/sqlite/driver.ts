// The slice of better-sqlite3 this backend uses, typed here because the package ships no type declarations.

/** A prepared statement; named parameters bind from an object (`@name` in the SQL). */
export interface Statement {
  run(params?: object): { changes: number; lastInsertRowid: number | bigint };
  get(params?: object): unknown;
  all(params?: object): unknown[];
}

/** An open SQLite connection. */
export interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  /** Runs a PRAGMA; with `simple` returns the first column of the first row. */
  pragma(source: string, opts?: { simple: boolean }): unknown;
  /** Wraps `fn` in BEGIN/COMMIT (ROLLBACK if it throws); `.immediate` takes the write lock at BEGIN. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) & { immediate(...args: A): R };
  close(): void;
}

/** Opens (creating if needed) the database file at `path`. */
export function openDatabase(path: string): Database {
  const BetterSqlite3 = require('better-sqlite3') as new (path: string) => Database;
  return new BetterSqlite3(path);
}
