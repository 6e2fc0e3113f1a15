// What survives closing and reopening the file: data, revisions, compaction; and the file's durability settings and lock.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { StoreError } from '../types';
import { openDatabase } from './driver';
import { SqliteStore } from './sqlite-store';

const dir = mkdtempSync(join(tmpdir(), 'tugboat-reopen-'));
let n = 0;
const newPath = () => join(dir, String(n++), 'nested', 'state.db');
after(() => rmSync(dir, { recursive: true, force: true }));

test('data, revisions and the compacted revision continue after reopen; revisions are never reused', async () => {
  const path = newPath();
  const first = new SqliteStore({ path });
  const a = await first.create('/a', '1');
  await first.update('/a', '2');
  const d = await first.delete('/a');
  await first.compact(d.modRevision);
  await first.close();

  const second = new SqliteStore({ path });
  assert.equal(await second.currentRevision(), d.modRevision);
  assert.equal(await second.compactedRevision(), d.modRevision);
  assert.equal(await second.get('/a'), undefined);
  const b = await second.create('/b', '1');
  assert.equal(b.modRevision, d.modRevision + 1);
  await second.compact(b.modRevision);
  await second.close();

  // Even with every row older than the newest compacted away, the counter never goes back.
  const third = new SqliteStore({ path });
  const c = await third.create('/a', 'again');
  assert.ok(c.modRevision > b.modRevision && c.createRevision > a.createRevision);
  await third.close();
});

test('the file is in WAL mode with synchronous=NORMAL (the store syncs the WAL itself, wal-sync.ts)', async () => {
  const path = newPath();
  await new SqliteStore({ path }).close();
  const db = openDatabase(path);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  const store = new SqliteStore({ path });
  // synchronous is per connection: read it through the store's own connection.
  const sync = (store as unknown as { db: { pragma(s: string, o: object): unknown } }).db.pragma('synchronous', { simple: true });
  assert.equal(sync, 1);
  await store.close();
});

/** Holds every WAL sync of `store` (each still runs) until `release`. */
function holdSyncs(store: SqliteStore): { wal: { syncs: number }; release(): void } {
  const wal = (store as unknown as { wal: { sync(): Promise<void>; syncs: number } }).wal;
  const realSync = wal.sync.bind(wal);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  wal.sync = () => realSync().then(() => held);
  return { wal, release };
}

test('a write is neither acknowledged nor seen by watchers until the WAL holding it is synced', async () => {
  const store = new SqliteStore({ path: newPath() });
  const { release } = holdSyncs(store);
  const seen: string[] = [];
  const w = store.watch('/d/', { afterRevision: 0, onEvent: (ev) => seen.push(ev.kv.key), onError: assert.fail });
  let acked = false;
  const write = store.create('/d/1', 'x').then(() => (acked = true));
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual([acked, seen], [false, []]);
  release();
  await write;
  assert.deepEqual([acked, seen], [true, ['/d/1']]);
  w.stop();
  await store.close();
});

test('best-effort writes start no sync of their own, yet are published in revision order behind a pending sync', async () => {
  const path = newPath();
  const store = new SqliteStore({ path, bestEffortPrefixes: ['/events/'] });
  const { wal, release } = holdSyncs(store);
  const seen: string[] = [];
  const w = store.watch('/', { afterRevision: 0, onEvent: (ev) => seen.push(ev.kv.key), onError: assert.fail });
  const acked: string[] = [];
  const pod = store.create('/pods/a', 'x').then(() => acked.push('/pods/a'));
  await new Promise((r) => setImmediate(r)); // the pod's batch commits first and waits for its sync
  const event = store.create('/events/e1', 'x').then(() => acked.push('/events/e1'));
  await new Promise((r) => setTimeout(r, 50));
  // The event committed after the pod: it must not overtake the pod's unsynced write.
  assert.deepEqual([acked, seen], [[], []]);
  const syncsBefore = wal.syncs;
  release();
  await Promise.all([pod, event]);
  assert.deepEqual(seen, ['/pods/a', '/events/e1']);
  assert.deepEqual(acked, ['/pods/a', '/events/e1']);
  assert.equal(wal.syncs, syncsBefore, 'the event batch started no sync');
  // With nothing pending, an event is acknowledged without any sync; it is in the file all the same.
  await store.create('/events/e2', 'y');
  assert.equal(wal.syncs, syncsBefore);
  w.stop();
  await store.close();
  const again = new SqliteStore({ path });
  assert.equal((await again.get('/events/e2'))?.value, 'y');
  await again.close();
});

test('a second opener of a live file is refused with Unavailable naming the file', async () => {
  const path = newPath();
  const owner = new SqliteStore({ path });
  await owner.create('/a', '1');
  assert.throws(
    () => new SqliteStore({ path }),
    (err) => err instanceof StoreError && err.code === 'Unavailable' && err.message.includes(path),
  );
  assert.equal((await owner.get('/a'))?.value, '1');
  await owner.close();
  await new SqliteStore({ path }).close();
});
