// openStore: URL forms pick the right backend, and anything it cannot honour is refused with a clear error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { MemoryStore } from './memory/memory-store';
import { openStore } from './open';
import { SqliteStore } from './sqlite/sqlite-store';
import { StoreError } from './types';

const dir = mkdtempSync(join(tmpdir(), 'tugboat-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('memory:// opens the in-memory backend', async () => {
  const store = await openStore('memory://');
  assert.ok(store instanceof MemoryStore);
  await store.close();
});

test('sqlite:///abs, sqlite://relative and a bare path open the same SQLite file', async () => {
  const path = join(dir, 'forms', 'state.db');
  const a = await openStore(`sqlite://${path}`);
  assert.ok(a instanceof SqliteStore);
  await a.create('/k', 'v');
  await a.close();
  const b = await openStore(`sqlite://${relative(process.cwd(), path)}`);
  assert.equal((await b.get('/k'))?.value, 'v');
  await b.close();
  const c = await openStore(path, { compactIntervalMs: 60_000, retainRevisions: 10 });
  assert.equal((await c.get('/k'))?.value, 'v');
  await c.close();
});

test('an unreachable etcd:// fails with Unavailable naming the endpoint', async () => {
  await assert.rejects(openStore('etcd://127.0.0.1:1', { dialTimeoutMs: 1000 }), (err) => {
    assert.ok(err instanceof StoreError && err.code === 'Unavailable');
    assert.match(err.message, /127\.0\.0\.1:1/);
    return true;
  });
});

test('refuses unknown schemes, query strings, malformed targets and options a backend cannot honour', async () => {
  const refused: [string, object, RegExp][] = [
    ['postgres://db/tugboat', {}, /unknown store URL scheme "postgres:\/\/".*supported: sqlite:\/\/, memory:\/\/, etcd:\/\//],
    [`sqlite://${dir}/q.db?mode=ro`, {}, /query string/],
    ['sqlite://', {}, /needs a file path/],
    ['memory://named', {}, /takes nothing after the scheme/],
    ['etcd://', {}, /at least one host:port/],
    ['etcd://host:2379/path', {}, /not host:port/],
    ['', {}, /empty/],
    ['memory://', { dialTimeoutMs: 100 }, /dialTimeoutMs is not supported by the memory store/],
    [`${dir}/o.db`, { requestTimeoutMs: 100 }, /requestTimeoutMs is not supported by the sqlite store/],
    ['memory://', { synchronous: 'OFF' }, /synchronous is not supported/],
    ['memory://', { retainRevisions: 5 }, /retainRevisions needs compactIntervalMs/],
    ['memory://', { compactIntervalMs: -1 }, /compactIntervalMs must be a positive number/],
  ];
  for (const [url, opts, message] of refused) {
    await assert.rejects(openStore(url, opts), message, `${url} ${JSON.stringify(opts)}`);
  }
});
