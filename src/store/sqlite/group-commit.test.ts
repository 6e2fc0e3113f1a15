// Group commit: writes of one turn share one transaction, and a failed precondition rejects only its own write.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { StoreError } from '../types';
import { SqliteStore } from './sqlite-store';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tugboat-group-commit-'));
  store = new SqliteStore({ path: join(dir, 'state.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('100 concurrent creates commit in one transaction, with distinct increasing revisions', async () => {
  const before = store.stats;
  const kvs = await Promise.all(Array.from({ length: 100 }, (_, i) => store.create(`/k/${i}`, `${i}`)));
  const after = store.stats;
  assert.equal(after.writes - before.writes, 100);
  assert.equal(after.transactions - before.transactions, 1);
  const revs = kvs.map((kv) => kv.modRevision);
  assert.deepEqual(revs, [...revs].sort((a, b) => a - b));
  assert.equal(new Set(revs).size, 100);
  assert.equal(await store.count('/k/'), 100);
});

test('writes from separate awaits in sequence each get their own transaction', async () => {
  const before = store.stats.transactions;
  for (let i = 0; i < 5; i++) await store.create(`/seq/${i}`, '');
  assert.equal(store.stats.transactions - before, 5);
});

test('in one batch, failing preconditions reject alone and later writes see earlier ones', async () => {
  const base = await store.create('/a', '1');
  const before = store.stats.transactions;
  const results = await Promise.allSettled([
    store.create('/a', 'dup'), // KeyExists
    store.update('/a', '2', base.modRevision), // ok
    store.update('/a', '3', base.modRevision), // Conflict: the previous write moved it
    store.create('/b', '1'), // ok
    store.delete('/missing'), // NotFound
    store.delete('/b'), // ok: sees the create in the same batch
  ]);
  assert.equal(store.stats.transactions - before, 1);
  const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as StoreError).code));
  assert.deepEqual(codes, ['KeyExists', 'ok', 'Conflict', 'ok', 'NotFound', 'ok']);
  assert.equal((await store.get('/a'))?.value, '2');
  assert.equal(await store.get('/b'), undefined);
});

test('watchers see a batch before any of its writers resume', async () => {
  const seen: number[] = [];
  const w = store.watch('/w/', { afterRevision: 0, onEvent: (ev) => seen.push(ev.revision), onError: assert.fail });
  await Promise.resolve();
  const first = store.create('/w/1', '');
  const second = store.create('/w/2', '');
  const kv1 = await first;
  const seenWhenFirstResumed = [...seen];
  assert.deepEqual(seenWhenFirstResumed, [kv1.modRevision, (await second).modRevision]);
  w.stop();
});
