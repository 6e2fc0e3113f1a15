// The one behaviour suite every Store backend runs (kine-style): each backend's test file is a few lines calling it.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { KeyValue, Store, StoreError, StoreErrorCode, WatchEvent } from './types';

/** How a backend's test file plugs into the suite. */
export interface ConformanceOptions {
  name: string;
  /** A fresh, open store. Tests keep to their own key prefix, so backends may share one server. */
  newBackend: () => Promise<Store>;
  /** When set, the whole suite is skipped and this reason printed. */
  skip?: string;
}

/** Registers the conformance suite for one backend with node:test. */
export function runStoreConformance({ name, newBackend, skip }: ConformanceOptions): void {
  describe(`Store conformance: ${name}`, { skip }, () => {
    let store: Store;
    let p: string;
    let n = 0;
    beforeEach(async () => {
      store = await newBackend();
      p = `/conformance/${process.pid}-${Date.now()}-${n++}/`;
    });
    afterEach(() => store.close());

    describe('single-key writes', () => {
      it('create returns the value with createRevision == modRevision, and get reads it back', async () => {
        const kv = await store.create(`${p}a`, '{"v":1}');
        assert.deepEqual(kv, { key: `${p}a`, value: '{"v":1}', createRevision: kv.modRevision, modRevision: kv.modRevision });
        assert.ok(kv.modRevision > 0);
        assert.deepEqual(await store.get(`${p}a`), kv);
        assert.equal(await store.get(`${p}absent`), undefined);
      });

      it('create of a present key fails with KeyExists', async () => {
        await store.create(`${p}a`, '1');
        await rejectsWith(store.create(`${p}a`, '2'), 'KeyExists');
        assert.equal((await store.get(`${p}a`))?.value, '1');
      });

      it('update keeps createRevision, moves modRevision, and honours a matching ifRevision', async () => {
        const c = await store.create(`${p}a`, '1');
        const u1 = await store.update(`${p}a`, '2');
        assert.deepEqual(u1, { key: `${p}a`, value: '2', createRevision: c.createRevision, modRevision: u1.modRevision });
        assert.ok(u1.modRevision > c.modRevision);
        const u2 = await store.update(`${p}a`, '3', u1.modRevision);
        assert.equal(u2.value, '3');
        assert.deepEqual(await store.get(`${p}a`), u2);
      });

      it('update of an absent key fails with NotFound, with or without ifRevision', async () => {
        await rejectsWith(store.update(`${p}a`, '1'), 'NotFound');
        await rejectsWith(store.update(`${p}a`, '1', 5), 'NotFound');
      });

      it('update with a stale ifRevision fails with Conflict carrying the current value', async () => {
        const c = await store.create(`${p}a`, '1');
        const u = await store.update(`${p}a`, '2');
        const err = await rejectsWith(store.update(`${p}a`, '3', c.modRevision), 'Conflict');
        assert.deepEqual(err.current, u);
        assert.equal((await store.get(`${p}a`))?.value, '2');
      });

      it('delete returns the last value at the delete revision; a re-create starts a new life', async () => {
        const c = await store.create(`${p}a`, '1');
        const d = await store.delete(`${p}a`);
        assert.deepEqual(d, { key: `${p}a`, value: '1', createRevision: c.createRevision, modRevision: d.modRevision });
        assert.ok(d.modRevision > c.modRevision);
        assert.equal(await store.get(`${p}a`), undefined);
        const again = await store.create(`${p}a`, '2');
        assert.ok(again.createRevision > d.modRevision);
      });

      it('delete of an absent key fails with NotFound; a stale ifRevision with Conflict', async () => {
        await rejectsWith(store.delete(`${p}a`), 'NotFound');
        const c = await store.create(`${p}a`, '1');
        const u = await store.update(`${p}a`, '2');
        const err = await rejectsWith(store.delete(`${p}a`, c.modRevision), 'Conflict');
        assert.deepEqual(err.current, u);
        assert.equal((await store.delete(`${p}a`, u.modRevision)).value, '2');
      });

      it('revisions increase strictly with every write, and currentRevision is the newest', async () => {
        const start = await store.currentRevision();
        const revs = [
          (await store.create(`${p}a`, '1')).modRevision,
          (await store.create(`${p}b`, '1')).modRevision,
          (await store.update(`${p}a`, '2')).modRevision,
          (await store.delete(`${p}b`)).modRevision,
          (await store.create(`${p}b`, '3')).modRevision,
        ];
        assert.ok(revs[0] > start);
        for (let i = 1; i < revs.length; i++) assert.ok(revs[i] > revs[i - 1], `revision ${revs[i]} after ${revs[i - 1]}`);
        assert.equal(await store.currentRevision(), revs[revs.length - 1]);
      });
    });

    describe('list and count', () => {
      it('list returns only keys under the prefix, sorted, with the revision read at', async () => {
        for (const k of ['b', 'a', 'c/d', 'a/b']) await store.create(`${p}${k}`, k);
        await store.create(p.slice(0, -1), 'the prefix without its slash');
        await store.create(`${p.slice(0, -1)}0`, 'a sibling that sorts right after the prefix');
        const res = await store.list(p);
        assert.deepEqual(res.items.map((kv) => kv.key), ['a', 'a/b', 'b', 'c/d'].map((k) => p + k));
        assert.equal(res.items[2].value, 'b');
        assert.equal(res.revision, await store.currentRevision());
        assert.equal(res.remaining, 0);
      });

      it('count counts live keys under the prefix', async () => {
        for (const k of ['a', 'b', 'c']) await store.create(`${p}x/${k}`, k);
        await store.create(`${p}y`, '');
        await store.delete(`${p}x/b`);
        assert.equal(await store.count(`${p}x/`), 2);
        assert.equal(await store.count(p), 3);
        assert.equal(await store.count(`${p}none/`), 0);
      });

      it('limit and startAfter page through every key once, and remaining counts what follows', async () => {
        const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((k) => p + k);
        for (const k of [...keys].reverse()) await store.create(k, k);
        const pages: string[][] = [];
        const remaining: number[] = [];
        let after: string | undefined;
        for (;;) {
          const res = await store.list(p, { limit: 3, startAfter: after });
          pages.push(res.items.map((kv) => kv.key));
          remaining.push(res.remaining);
          if (res.remaining === 0) break;
          after = res.items[res.items.length - 1].key;
        }
        assert.deepEqual(pages, [keys.slice(0, 3), keys.slice(3, 6), keys.slice(6)]);
        assert.deepEqual(remaining, [4, 1, 0]);
        const between = await store.list(p, { startAfter: `${p}c0`, limit: 2 });
        assert.deepEqual(between.items.map((kv) => kv.key), [keys[3], keys[4]]);
        assert.equal(between.remaining, 2);
        assert.equal((await store.list(p, { limit: 0 })).items.length, 7);
      });

      it('list at an old revision returns the state as of that revision, page by page', async () => {
        await store.create(`${p}a`, 'a1');
        await store.create(`${p}b`, 'b1');
        const old = await store.currentRevision();
        await store.update(`${p}a`, 'a2');
        await store.delete(`${p}b`);
        await store.create(`${p}c`, 'c1');
        const then = await store.list(p, { revision: old });
        assert.equal(then.revision, old);
        assert.deepEqual(then.items.map((kv) => [kv.key, kv.value]), [[`${p}a`, 'a1'], [`${p}b`, 'b1']]);
        const page2 = await store.list(p, { revision: old, limit: 1, startAfter: `${p}a` });
        assert.deepEqual(page2.items.map((kv) => kv.value), ['b1']);
        assert.equal(page2.remaining, 0);
        const now = await store.list(p);
        assert.deepEqual(now.items.map((kv) => [kv.key, kv.value]), [[`${p}a`, 'a2'], [`${p}c`, 'c1']]);
      });

      it('list at a future revision is refused', async () => {
        await store.create(`${p}a`, '1');
        const future = (await store.currentRevision()) + 1000;
        await assert.rejects(store.list(p, { revision: future }));
      });
    });

    describe('watch', () => {
      it('from a revision, replays history then continues live without gaps or duplicates', async () => {
        const first = await store.create(`${p}a`, 'a1');
        const writes = [
          await store.update(`${p}a`, 'a2'),
          await store.create(`${p}b`, 'b1'),
          await store.delete(`${p}a`),
        ];
        const w = collect(store, p, first.modRevision);
        writes.push(await store.create(`${p}c`, 'c1'));
        writes.push(await store.update(`${p}b`, 'b2'));
        const events = await w.waitFor(5);
        assert.deepEqual(summary(events), [
          ['PUT', `${p}a`, 'a2', writes[0].modRevision],
          ['PUT', `${p}b`, 'b1', writes[1].modRevision],
          ['DELETE', `${p}a`, 'a2', writes[2].modRevision],
          ['PUT', `${p}c`, 'c1', writes[3].modRevision],
          ['PUT', `${p}b`, 'b2', writes[4].modRevision],
        ]);
        await w.expectNothingMoreThan(5, `${p}sentinel`);
        w.stop();
      });

      it('with afterRevision 0, sees only writes made after it started', async () => {
        await store.create(`${p}old`, '1');
        const w = collect(store, p, 0);
        await settle();
        const c = await store.create(`${p}new`, '2');
        assert.deepEqual(summary(await w.waitFor(1)), [['PUT', `${p}new`, '2', c.modRevision]]);
        w.stop();
      });

      it('sees only keys under its prefix', async () => {
        const w = collect(store, `${p}in/`, await store.currentRevision());
        await store.create(`${p}out`, '1');
        await store.create(`${p}in`, '1');
        await store.create(`${p}in/a`, '1');
        assert.deepEqual(summary(await w.waitFor(1)).map((e) => e[1]), [`${p}in/a`]);
        await w.expectNothingMoreThan(1, `${p}in/sentinel`);
        w.stop();
      });

      it('update events carry prevKv; delete events carry the last value in kv and prevKv', async () => {
        // afterRevision 0 means "from now", so make sure the starting revision is not 0.
        const start = (await store.create(`${p.slice(0, -1)}-outside`, '')).modRevision;
        const c = await store.create(`${p}a`, 'v1');
        const u = await store.update(`${p}a`, 'v2');
        const d = await store.delete(`${p}a`);
        const w = collect(store, p, start);
        const [create, update, del] = await w.waitFor(3);
        assert.equal(create.type, 'PUT');
        assert.equal(create.prevKv, undefined);
        assert.deepEqual(update.kv, u);
        assert.deepEqual(update.prevKv, c);
        assert.deepEqual(del, { type: 'DELETE', kv: d, prevKv: u, revision: d.modRevision });
        w.stop();
      });

      it('delivers events in revision order under concurrent writes', async () => {
        const base = await Promise.all(Array.from({ length: 10 }, (_, i) => store.create(`${p}k${i}`, 'base')));
        const w = collect(store, p, Math.max(...base.map((kv) => kv.modRevision)));
        const ops: Promise<KeyValue>[] = [];
        for (let i = 0; i < 10; i++) {
          ops.push(store.create(`${p}n${i}`, 'new'), store.update(`${p}k${i}`, 'changed'));
          if (i % 3 === 0) ops.push(store.delete(`${p}k${i}`));
        }
        const results = await Promise.allSettled(ops);
        const revisions = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<KeyValue>).value.modRevision);
        const events = await w.waitFor(revisions.length);
        for (let i = 1; i < events.length; i++) assert.ok(events[i].revision > events[i - 1].revision);
        assert.deepEqual(events.map((e) => e.revision), [...revisions].sort((a, b) => a - b));
        for (const ev of events) assert.equal(ev.kv.modRevision, ev.revision);
        w.stop();
      });

      it('a stopped watch receives nothing more', async () => {
        const rev = await store.currentRevision();
        const stopped = collect(store, p, rev);
        const other = collect(store, p, rev);
        await store.create(`${p}a`, '1');
        await stopped.waitFor(1);
        stopped.stop();
        await store.create(`${p}b`, '1');
        await other.waitFor(2);
        await settle();
        assert.equal(stopped.events.length, 1);
        other.stop();
      });
    });

    describe('compaction', () => {
      it('list and watch older than the compacted revision fail with Compacted; newer ones work', async () => {
        await store.create(`${p}a`, 'a1');
        await store.create(`${p}b`, 'b1');
        await store.update(`${p}a`, 'a2');
        const early = await store.currentRevision();
        await store.delete(`${p}b`);
        const at = (await store.create(`${p}c`, 'c1')).modRevision;
        await store.compact(at);
        assert.equal(await store.compactedRevision(), at);
        await rejectsWith(store.list(p, { revision: early }), 'Compacted');
        const res = await store.list(p, { revision: at });
        assert.deepEqual(res.items.map((kv) => [kv.key, kv.value]), [[`${p}a`, 'a2'], [`${p}c`, 'c1']]);
        const old = collect(store, p, early - 1);
        assert.equal((await old.waitError()).code, 'Compacted');
        const live = collect(store, p, at);
        const d = await store.create(`${p}d`, 'd1');
        assert.deepEqual(summary(await live.waitFor(1)), [['PUT', `${p}d`, 'd1', d.modRevision]]);
        live.stop();
      });

      it('keeps the history that reads at or after the compacted revision need', async () => {
        const a1 = await store.create(`${p}a`, 'a1');
        const a2 = await store.update(`${p}a`, 'a2');
        const b1 = await store.create(`${p}b`, 'b1');
        const bDel = await store.delete(`${p}b`);
        const a3 = await store.update(`${p}a`, 'a3');
        await store.compact(a2.modRevision);
        assert.deepEqual((await store.list(p, { revision: a2.modRevision })).items, [a2]);
        assert.deepEqual((await store.list(p, { revision: b1.modRevision })).items, [a2, b1]);
        assert.deepEqual((await store.list(p, { revision: bDel.modRevision })).items, [a2]);
        // A watch may start at the compacted revision itself, as in etcd.
        const w = collect(store, p, a1.modRevision);
        const events = await w.waitFor(4);
        assert.deepEqual(summary(events), [
          ['PUT', `${p}a`, 'a2', a2.modRevision],
          ['PUT', `${p}b`, 'b1', b1.modRevision],
          ['DELETE', `${p}b`, 'b1', bDel.modRevision],
          ['PUT', `${p}a`, 'a3', a3.modRevision],
        ]);
        assert.deepEqual(events[2].prevKv, b1);
        assert.deepEqual(events[3].prevKv, a2);
        w.stop();
      });

      it('compacting again at an older revision is a no-op; a future revision is refused', async () => {
        await store.create(`${p}a`, '1');
        const first = (await store.update(`${p}a`, '2')).modRevision;
        await store.compact(first);
        await store.compact(first - 1);
        assert.equal(await store.compactedRevision(), first);
        await assert.rejects(store.compact(first + 1000));
        assert.equal(await store.compactedRevision(), first);
      });
    });

    describe('concurrency', () => {
      it('concurrent creates of one key: exactly one wins, the others get KeyExists', async () => {
        const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.create(`${p}a`, `w${i}`)));
        const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<KeyValue>[];
        assert.equal(won.length, 1);
        for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as StoreError).code, 'KeyExists');
        assert.deepEqual(await store.get(`${p}a`), won[0].value);
      });

      it('concurrent updates at one ifRevision: exactly one wins, the others get Conflict', async () => {
        const c = await store.create(`${p}a`, '0');
        const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.update(`${p}a`, `w${i}`, c.modRevision)));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as StoreError).code, 'Conflict');
      });
    });

    describe('close', () => {
      it('ends watches and fails every later call with Closed', async () => {
        await store.create(`${p}a`, '1');
        const w = collect(store, p, 0);
        await settle();
        await store.close();
        assert.equal((await w.waitError()).code, 'Closed');
        await rejectsWith(store.get(`${p}a`), 'Closed');
        await rejectsWith(store.list(p), 'Closed');
        await rejectsWith(store.create(`${p}b`, '1'), 'Closed');
        await rejectsWith(store.update(`${p}a`, '2'), 'Closed');
        await rejectsWith(store.delete(`${p}a`), 'Closed');
        await rejectsWith(store.currentRevision(), 'Closed');
        const late = collect(store, p, 0);
        assert.equal((await late.waitError()).code, 'Closed');
        await store.close();
      });
    });
  });
}

async function rejectsWith(promise: Promise<unknown>, code: StoreErrorCode): Promise<StoreError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof StoreError, `expected StoreError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected StoreError ${code}, but the call succeeded`);
}

function summary(events: WatchEvent[]): [string, string, string, number][] {
  return events.map((e) => [e.type, e.kv.key, e.kv.value, e.revision]);
}

/** Lets remote backends finish setting up a watch or deliver stray events. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 100));
}

const waitLimitMs = 5000;

/** A watch that records what it receives, with waits that fail instead of hanging. */
function collect(store: Store, prefix: string, afterRevision: number) {
  const events: WatchEvent[] = [];
  const errors: StoreError[] = [];
  let wake = () => {};
  const handle = store.watch(prefix, {
    afterRevision,
    onEvent: (ev) => {
      events.push(ev);
      wake();
    },
    onError: (err) => {
      errors.push(err);
      wake();
    },
  });
  const until = (done: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(events)}`)), waitLimitMs);
      wake = () => {
        if (errors.length > 0 && !what.startsWith('an error')) reject(errors[0]);
        else if (!done()) return;
        clearTimeout(timer);
        resolve();
      };
      wake();
    });
  return {
    events,
    stop: () => handle.stop(),
    async waitFor(n: number): Promise<WatchEvent[]> {
      await until(() => events.length >= n, `${n} events`);
      return events.slice(0, n);
    },
    async waitError(): Promise<StoreError> {
      await until(() => errors.length > 0, 'an error');
      return errors[0];
    },
    /** Writes a sentinel key and, once its event arrives, checks nothing else came after the first n. */
    async expectNothingMoreThan(n: number, sentinel: string): Promise<void> {
      const s = await store.create(sentinel, 'sentinel');
      await until(() => events.some((e) => e.kv.key === sentinel), 'the sentinel event');
      assert.deepEqual(summary(events.slice(n)), [['PUT', sentinel, 'sentinel', s.modRevision]]);
    },
  };
}
