// ConfigMap creates/s over HTTPS keep-alive at 1, 16 and 64 clients: tugboat on SQLite vs tugboat on etcd vs raw etcd puts.
import { Etcd3 } from 'etcd3';
import { etcdUnavailableReason, startEtcd } from '../../src/store/etcd/testing-etcd';
import { apiClient } from '../support/client';
import { onCleanup } from '../support/cleanup';
import { withCpu } from '../support/proc';
import { fmt, heading, printTable } from '../support/stats';
import { startTugboat, Tugboat } from '../support/tugboat';
import { LoadFigures, Operation, runLoad } from './load';

/** Client counts measured. */
export const CREATE_CLIENTS = [1, 16, 64];
const RUN_MS = 5000;
const WARMUP_MS = 1000;
const PAYLOAD = 'x'.repeat(100);

/** One measured run, with CPU shares in % of one core (undefined where not measurable). */
export interface CreateRun extends LoadFigures {
  serverCpu?: number;
  clientCpu?: number;
}

/** Create figures per target and client count. */
export interface CreateFigures {
  sqlite: Map<number, CreateRun>;
  etcd?: Map<number, CreateRun>;
  rawEtcd?: Map<number, CreateRun>;
  /** Bytes of one created ConfigMap as the API returns it; raw etcd puts use values this size. */
  objectBytes: number;
  etcdSkipped?: string;
}

/** Warms up, then measures `op` at every client count; `open` gives each count its own connections. */
async function measureAll(
  target: string,
  pid: number | undefined,
  open: (clients: number) => { op: (phase: string) => Operation; close(): void },
): Promise<Map<number, CreateRun>> {
  const out = new Map<number, CreateRun>();
  for (const clients of CREATE_CLIENTS) {
    const conn = open(clients);
    try {
      await runLoad(clients, WARMUP_MS, conn.op('warm'));
      const run = () => runLoad(clients, RUN_MS, conn.op('run'));
      const r: CreateRun = pid === undefined ? await run() : await withCpu(pid, run).then((m) => ({ ...m.result, serverCpu: m.serverCpu, clientCpu: m.clientCpu }));
      out.set(clients, r);
      console.log(
        `  ${target.padEnd(15)} clients=${String(clients).padStart(2)}  ${fmt(r.perSecond).padStart(6)}/s  ` +
          `p50 ${fmt(r.p50, 2)} ms  p99 ${fmt(r.p99, 2)} ms${r.errors ? `  errors ${r.errors} (${r.firstError})` : ''}`,
      );
    } finally {
      conn.close();
    }
  }
  return out;
}

/** Creates small ConfigMaps in namespace bench of `t`; returns the figures and the size of one object. */
async function tugboatCreates(t: Tugboat, target: string): Promise<{ runs: Map<number, CreateRun>; objectBytes: number }> {
  const admin = apiClient(t, 1);
  try {
    await admin.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    const runs = await measureAll(target, t.pid, (clients) => {
      const client = apiClient(t, clients);
      return {
        op: (phase) => async (c, i) => {
          const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${phase}-${clients}-${c}-${i}` }, data: { payload: PAYLOAD } };
          const r = await client.send('POST', '/api/v1/namespaces/bench/configmaps', cm);
          if (r.status !== 201) throw new Error(`HTTP ${r.status}: ${r.body.toString().slice(0, 200)}`);
          return true;
        },
        close: () => client.close(),
      };
    });
    const one = await admin.send('GET', `/api/v1/namespaces/bench/configmaps/run-1-0-0`);
    return { runs, objectBytes: one.body.length };
  } finally {
    admin.close();
  }
}

/** Plain etcd3 puts of `valueBytes`-byte values: the floor an etcd-backed API server cannot beat. */
async function rawEtcdPuts(endpoint: string, valueBytes: number): Promise<Map<number, CreateRun>> {
  const client = new Etcd3({ hosts: `http://${endpoint}` });
  const value = Buffer.alloc(valueBytes, 'x');
  try {
    return await measureAll('raw etcd put', undefined, (clients) => ({
      op: (phase) => async (c, i) => {
        await client.kv.put({ key: Buffer.from(`/raw/${phase}/${clients}/${c}/${i}`), value });
        return true;
      },
      close() {},
    }));
  } finally {
    client.close();
  }
}

/** Runs the create workload against each target and prints the comparison. */
export async function benchCreates(): Promise<CreateFigures> {
  heading(`3. ConfigMap creates over HTTPS keep-alive (${RUN_MS / 1000} s per run, after ${WARMUP_MS / 1000} s warm-up)`);
  const sq = await startTugboat();
  let sqlite: Map<number, CreateRun>;
  let objectBytes: number;
  try {
    ({ runs: sqlite, objectBytes } = await tugboatCreates(sq, 'tugboat sqlite'));
  } finally {
    await sq.stop();
  }
  const figures: CreateFigures = { sqlite, objectBytes, etcdSkipped: etcdUnavailableReason() };
  if (!figures.etcdSkipped) {
    const etcd = await startEtcd();
    const unregister = onCleanup(() => etcd.stop());
    try {
      figures.rawEtcd = await rawEtcdPuts(etcd.endpoint, objectBytes);
      const et = await startTugboat({ store: `etcd://${etcd.endpoint}` });
      try {
        figures.etcd = (await tugboatCreates(et, 'tugboat etcd')).runs;
      } finally {
        await et.stop();
      }
    } finally {
      unregister();
      await etcd.stop();
    }
  }
  printCreates(figures);
  return figures;
}

function printCreates(f: CreateFigures): void {
  console.log(`\nobject size ${f.objectBytes} bytes as returned; raw etcd puts use values of that size`);
  const rows: string[][] = [];
  const add = (name: string, runs: Map<number, CreateRun> | undefined) => {
    for (const [clients, r] of runs ?? []) {
      const cpuPerCreate = r.serverCpu === undefined ? undefined : (r.serverCpu * 10) / r.perSecond;
      rows.push([name, String(clients), fmt(r.perSecond), fmt(r.p50, 2), fmt(r.p99, 2), String(r.errors), fmt(r.serverCpu), fmt(cpuPerCreate, 2), fmt(r.clientCpu)]);
    }
  };
  add('tugboat sqlite', f.sqlite);
  add('tugboat etcd', f.etcd);
  add('raw etcd put', f.rawEtcd);
  printTable(['target', 'clients', 'creates/s', 'p50 ms', 'p99 ms', 'errors', 'tugboat CPU %', 'tugboat CPU ms/create', 'bench CPU %'], rows);
  if (!f.etcd) {
    console.log(`etcd skipped: ${f.etcdSkipped}`);
    return;
  }
  console.log('');
  printTable(
    ['clients', 'sqlite/s', 'etcd/s', 'ratio sqlite/etcd', 'raw etcd/s', 'p99 sqlite ms', 'p99 etcd ms'],
    CREATE_CLIENTS.map((c) => {
      const s = f.sqlite.get(c)!;
      const e = f.etcd!.get(c)!;
      return [String(c), fmt(s.perSecond), fmt(e.perSecond), `${fmt(s.perSecond / e.perSecond, 2)}x`, fmt(f.rawEtcd?.get(c)?.perSecond), fmt(s.p99, 1), fmt(e.p99, 1)];
    }),
  );
  const at64 = f.sqlite.get(64)!.perSecond / f.etcd.get(64)!.perSecond;
  console.log(`goal sqlite ≥ 2× etcd at 64 clients: ${at64 >= 2 ? 'met' : 'NOT met'} (${fmt(at64, 2)}x)`);
}
