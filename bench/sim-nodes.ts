// Sim nodes at scale in one process: N sim nodes to all Ready (with Leases), then M pods bound directly to all Running; RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinResources } from '../src/api/kinds';
import type { KObject } from '../src/api/types';
import { bootstrapCluster } from '../src/apiserver/bootstrap';
import { createApiServer } from '../src/apiserver/server';
import { apiServerPlugins } from '../src/cli/plugins';
import { eventRecorder } from '../src/client/events';
import { keyOf, type Informer } from '../src/client/informer';
import { SharedInformers } from '../src/client/shared-informers';
import { R } from '../src/client/types';
import { startNodeLifecycleController } from '../src/controllers/nodelifecycle';
import type { ControllerDeps } from '../src/controllers/types';
import { startSimKubelets } from '../src/kubelet/sim';
import { openStore } from '../src/store/open';
import { realClock } from '../src/util/clock';
import { configureLog } from '../src/util/log';
import { fmt, heading, printTable } from './support/stats';

const NODES = Number(process.env.BENCH_SIM_NODES ?? 5000);
const PODS = Number(process.env.BENCH_SIM_PODS ?? 50000);
/** sqlite (default, as `tugboat up`) or memory. */
const STORE = process.env.BENCH_SIM_STORE ?? 'sqlite';
/** BENCH_SIM_EVENTS=0 turns off the kubelet's pod events (Pulled/Created/Started), to see what they cost. */
const POD_EVENTS = process.env.BENCH_SIM_EVENTS !== '0';
/** Creates in flight while creating pods. */
const CONCURRENCY = 64;
/** How long to wait for each milestone (BENCH_SIM_TIMEOUT_S, default 15 min). */
const TIMEOUT_MS = Number(process.env.BENCH_SIM_TIMEOUT_S ?? 900) * 1000;

const rssMiB = () => process.memoryUsage().rss / 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: () => string, done: () => boolean): Promise<void> {
  const deadline = performance.now() + TIMEOUT_MS;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what()} (RSS ${rssMiB().toFixed(0)} MiB)`);
    await sleep(50);
  }
}

/** The keys of the informer's objects that satisfy `pred`, kept up to date by its handlers. */
function countWhere(inf: Informer<KObject>, pred: (o: KObject) => boolean): Set<string> {
  const keys = new Set<string>();
  const see = (o: KObject) => (pred(o) ? keys.add(keyOf(o)) : keys.delete(keyOf(o)));
  inf.on({ add: see, update: (_, o) => see(o), delete: (o) => keys.delete(keyOf(o)) });
  return keys;
}

const isReady = (o: KObject) => o.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') ?? false;

async function main(): Promise<void> {
  configureLog({ level: 'warn' });
  heading(`sim nodes: ${NODES} nodes, ${PODS} pods bound directly (store ${STORE}, pod events ${POD_EVENTS ? 'on' : 'off'}, one process)`);
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-bench-sim-'));
  const store = await openStore(STORE === 'memory' ? 'memory://' : `sqlite://${join(dir, 'state.db')}`, { compactIntervalMs: 60_000, retainRevisions: 10_000 });
  const resources = builtinResources();
  const api = await createApiServer({ store, resources, clock: realClock, tls: { cert: '', key: '', ca: '' }, version: 'bench', ...apiServerPlugins(resources) });
  await bootstrapCluster(api);
  const client = api.client({ username: 'system:kube-controller-manager', groups: ['system:masters'] }, 'kube-controller-manager');
  const informers = new SharedInformers(client, realClock);
  const deps: ControllerDeps = { client, informers, clock: realClock, recorder: (c) => eventRecorder(client, c, realClock) };
  const leases = informers.for(R.leases);
  // Counted as they change: scanning 50k cached pods every poll would cost as much as what is measured.
  const readyNodes = countWhere(informers.for(R.nodes), isReady);
  const runningPods = countWhere(informers.for(R.pods), (p) => p.status?.phase === 'Running' && isReady(p));
  const rssStart = rssMiB();
  const rows: string[][] = [];
  // Each milestone is printed as it is reached (a full run takes minutes), then all of them as a table.
  const milestone = (label: string, seconds: string, rss: string) => {
    rows.push([label, seconds, rss]);
    console.log(`  ${label}: ${seconds}${rss ? ` (RSS ${rss} MiB)` : ''}`);
  };

  const t0 = performance.now();
  const lifecycle = startNodeLifecycleController(deps);
  const kubelets = startSimKubelets(deps, { initialNodes: NODES, podEvents: POD_EVENTS });
  await until(() => `all nodes Ready: ${readyNodes.size}/${NODES}`, () => readyNodes.size >= NODES);
  const tNodes = performance.now() - t0;
  await until(() => `all node Leases: ${leases.list().length}/${NODES}`, () => leases.list().length >= NODES);
  const tLeases = performance.now() - t0;
  global.gc?.();
  const rssNodes = rssMiB();
  milestone(`${NODES} nodes Ready`, fmt(tNodes / 1000, 1), fmt(rssNodes, 0));
  milestone(`${NODES} Leases`, fmt(tLeases / 1000, 1), '');

  // Let a few lease rounds pass to see the steady cost of heartbeats.
  const idleStart = process.cpuUsage();
  await sleep(10_000);
  const idleCpu = process.cpuUsage(idleStart);
  milestone(`steady heartbeats, CPU over 10 s`, `${fmt((idleCpu.user + idleCpu.system) / 100_000, 0)} %`, fmt(rssMiB(), 0));

  const podsApi = client.resource(R.pods);
  const t1 = performance.now();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= PODS) return;
      await podsApi.create('default', {
        metadata: { name: `p-${i}`, labels: { app: 'bench' } },
        spec: { nodeName: `sim-node-${(i % NODES) + 1}`, containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const tCreated = performance.now() - t1;
  milestone(`${PODS} pods created (${CONCURRENCY} in flight)`, fmt(tCreated / 1000, 1), fmt(rssMiB(), 0));
  await until(() => `all pods Running: ${runningPods.size}/${PODS}`, () => runningPods.size >= PODS);
  const tRunning = performance.now() - t1;
  global.gc?.();
  milestone(`${PODS} pods Running and Ready (from first create)`, fmt(tRunning / 1000, 1), fmt(rssMiB(), 0));
  milestone('pods Running per second', fmt(PODS / (tRunning / 1000), 0), '');
  // The steady state: heartbeats go on, the write burst's garbage is collected and V8 gives back what it no longer needs.
  await sleep(30_000);
  global.gc?.();
  milestone('30 s later (heartbeats only)', '', fmt(rssMiB(), 0));

  printTable(['milestone', 'seconds', 'RSS MiB'], rows);
  console.log(`RSS before starting: ${fmt(rssStart, 0)} MiB`);
  // What the memory holds: one decoded object per stored object, shared by the watch cache and every informer.
  const heap = process.memoryUsage();
  const counts = [...api.cache.counts()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const mib = (n: number) => fmt(n / 2 ** 20, 0);
  console.log(
    `RSS ${mib(heap.rss)} MiB (${fmt(heap.rss / PODS / 1024, 1)} KiB per pod): JS heap ${mib(heap.heapUsed)} MiB used of ${mib(heap.heapTotal)}, ` +
      `external ${mib(heap.external)} MiB, array buffers ${mib(heap.arrayBuffers)} MiB`,
  );
  // The average stored size of the first 1,000 objects of each resource: what one object costs.
  const avgKiB = (prefix: string) => {
    const sample = [...api.cache.cacheFor(prefix).objects.values()].slice(0, 1000);
    return sample.length ? fmt(sample.reduce((n, c) => n + JSON.stringify(c.obj).length, 0) / sample.length / 1024, 1) : '0';
  };
  console.log(`watch cache (objects, average JSON KiB): ${counts.map(([p, n]) => `${p.split('/').slice(-2, -1)[0]} ${n} (${avgKiB(p)})`).join(', ')}`);
  kubelets.stop();
  lifecycle.stop();
  informers.stop();
  await api.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
