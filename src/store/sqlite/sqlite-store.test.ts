// Runs the conformance suite against the SQLite backend, one fresh file per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runStoreConformance } from '../conformance';
import { SqliteStore } from './sqlite-store';

const dir = mkdtempSync(join(tmpdir(), 'tugboat-sqlite-conformance-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

runStoreConformance({ name: 'sqlite', newBackend: async () => new SqliteStore({ path: join(dir, `${n++}.db`) }) });
