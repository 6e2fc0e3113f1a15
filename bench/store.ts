// Store write benchmark: creates/s and p50/p99 latency at 1, 16 and 64 writers, durable SQLite vs a local etcd.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtcdStore } from '../src/store/etcd/etcd-store';
import { etcdUnavailableReason, startEtcd } from '../src/store/etcd/testing-etcd';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import { Store } from '../src/store/types';

const concurrencies = [1, 16, 64];
const runMs = 1500;
/** About the size of a serialized Pod. */
const value = JSON.stringify({ kind: 'Pod', spec: 'x'.repeat(1200) });

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs `writers` loops of creates for runMs and measures each create from call to resolve. */
async function measure(store: Store, label: string, writers: number): Promise<Figures> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + runMs;
  let n = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await store.create(`/bench/${label}/${writers}/${w}/${n++}`, value);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99) };
}

async function runBackend(name: string, store: Store): Promise<Map<number, Figures>> {
  const results = new Map<number, Figures>();
  await measure(store, `${name}-warmup`, 4);
  for (const c of concurrencies) {
    const f = await measure(store, name, c);
    results.set(c, f);
    console.log(
      `${name.padEnd(7)} writers=${String(c).padStart(2)}  ${f.perSecond.toFixed(0).padStart(6)} creates/s` +
        `  p50 ${f.p50.toFixed(2).padStart(6)} ms  p99 ${f.p99.toFixed(2).padStart(6)} ms`,
    );
  }
  return results;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-bench-'));
  console.log(`store benchmark: ${runMs} ms per run, ${value.length}-byte values, data under ${dir}`);
  const sqlite = new SqliteStore({ path: join(dir, 'state.db') });
  const sqliteFigures = await runBackend('sqlite', sqlite);
  const { transactions, writes } = sqlite.stats;
  console.log(`sqlite  group commit: ${writes} writes in ${transactions} transactions (${(writes / transactions).toFixed(1)} per fsync)`);
  await sqlite.close();
  rmSync(dir, { recursive: true, force: true });

  const skip = etcdUnavailableReason();
  if (skip) {
    console.log(`etcd    skipped: ${skip}`);
    return;
  }
  const etcd = await startEtcd();
  try {
    const store = await EtcdStore.connect({ endpoints: [etcd.endpoint] });
    const etcdFigures = await runBackend('etcd', store);
    await store.close();
    for (const c of concurrencies) {
      const s = sqliteFigures.get(c)!;
      const e = etcdFigures.get(c)!;
      console.log(
        `ratio sqlite/etcd writers=${String(c).padStart(2)}  throughput ${(s.perSecond / e.perSecond).toFixed(2)}x` +
          `  p50 latency ${(s.p50 / e.p50).toFixed(2)}x  p99 latency ${(s.p99 / e.p99).toFixed(2)}x`,
      );
    }
  } finally {
    await etcd.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
