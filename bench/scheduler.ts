// Scheduler benchmark, in process: 5,000 nodes; 10,000 pods created through the client as fast as possible (pods/s bound, create→bound latency), then a 10,000-pod backlog.
import { cpus, loadavg } from 'node:os';
import type { KObject } from '../src/api/types';
import { startTestApi, TestApi } from '../src/apiserver/testing';
import { eventRecorder } from '../src/client/events';
import { SharedInformers } from '../src/client/shared-informers';
import { R } from '../src/client/types';
import { startScheduler } from '../src/scheduler';
import { configureLog } from '../src/util/log';
import { realClock } from '../src/util/clock';
import { fmt, heading, printMarkdown, printTable, quantile } from './support/stats';

const NODES = Number(process.env.BENCH_NODES ?? 5000);
const PODS = Number(process.env.BENCH_PODS ?? 10_000);
/** Creates in flight at once, like many clients (controllers) creating pods. */
const CREATE_CONCURRENCY = 64;
const TIMEOUT_MS = 300_000;

const node = (i: number): KObject => {
  const alloc = { cpu: '32', memory: '128Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 3}` } },
    status: { capacity: alloc, allocatable: alloc, conditions: [{ type: 'Ready', status: 'True' }] },
  };
};

const pod = (i: number): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod-${i}`, labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
});

const mb = (bytes: number) => fmt(bytes / 1024 / 1024);

/** Starts the scheduler with its own informers; resolves once they have synced. */
async function runScheduler(t: TestApi): Promise<() => void> {
  const informers = new SharedInformers(t.client, realClock);
  const scheduler = startScheduler({ client: t.client, informers, clock: realClock, recorder: (c) => eventRecorder(t.client, c, realClock) });
  await informers.waitForSync();
  return () => {
    scheduler.stop();
    informers.stop();
  };
}

/** Watches `namespace` as a client would; `bound` resolves when `count` pods have a node, with each pod's time to bound. */
function watchBindings(t: TestApi, namespace: string, count: number, since: Map<string, number>) {
  const latencies: number[] = [];
  let lastBound = 0;
  let done!: () => void;
  let fail!: (e: Error) => void;
  const finished = new Promise<void>((res, rej) => ((done = res), (fail = rej)));
  const timer = setTimeout(() => fail(new Error(`only ${latencies.length}/${count} pods bound after ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  const watch = t.client.resource(R.pods).watch(
    namespace,
    { resourceVersion: '0' },
    (ev) => {
      const name = ev.object.metadata.name!;
      if (!ev.object.spec?.nodeName || !since.has(name)) return;
      lastBound = performance.now();
      latencies.push(lastBound - since.get(name)!);
      since.delete(name);
      if (latencies.length === count) done();
    },
    () => {},
  );
  return {
    latencies,
    lastBound: () => lastBound,
    bound: finished.finally(() => {
      clearTimeout(timer);
      watch.stop();
    }),
  };
}

/** Creates `count` pods with 64 concurrent creators; `onCreate` is called just before each. */
async function createPods(t: TestApi, namespace: string, count: number, onCreate: (name: string) => void): Promise<void> {
  await t.client.resource(R.namespaces).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const pods = t.client.resource(R.pods);
  let next = 0;
  await Promise.all(
    Array.from({ length: CREATE_CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        onCreate(`pod-${i}`);
        await pods.create(namespace, pod(i));
        // In process a create completes in microtasks; yielding as a network client would lets scheduling run meanwhile.
        await new Promise((r) => setImmediate(r));
      }
    }),
  );
}

async function main(): Promise<void> {
  configureLog({ level: 'warn' });
  console.log(`scheduler benchmark: in process (API server on the memory store + scheduler), node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)}`);
  const t = await startTestApi();
  const rssStart = process.memoryUsage().rss;
  const nodesStart = performance.now();
  const nodes = t.client.resource(R.nodes);
  for (let i = 0; i < NODES; i += 100) await Promise.all(Array.from({ length: Math.min(100, NODES - i) }, (_, j) => nodes.create('', node(i + j))));
  const nodesMs = performance.now() - nodesStart;

  // 1. Pods created as fast as possible while the scheduler runs.
  let stop = await runScheduler(t);
  const created = new Map<string, number>();
  const live = watchBindings(t, 'bench', PODS, created);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await createPods(t, 'bench', PODS, (name) => created.set(name, performance.now()));
  const createdMs = performance.now() - start;
  const boundWhileCreating = live.latencies.length;
  await live.bound;
  const totalMs = live.lastBound() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rss = process.memoryUsage().rss;
  stop();

  // 2. A backlog: pods created with no scheduler running, then one started.
  const queued = new Map<string, number>();
  await createPods(t, 'backlog', PODS, (name) => queued.set(name, 0));
  const backlog = watchBindings(t, 'backlog', PODS, queued);
  const backlogStart = performance.now();
  const backlogCpuStart = process.cpuUsage();
  for (const k of queued.keys()) queued.set(k, backlogStart);
  stop = await runScheduler(t);
  await backlog.bound;
  const backlogMs = backlog.lastBound() - backlogStart;
  const backlogCpu = process.cpuUsage(backlogCpuStart);
  const backlogCpuMs = (backlogCpu.user + backlogCpu.system) / 1000;
  stop();

  const latencies = live.latencies.sort((a, b) => a - b);
  heading(`${NODES} nodes, ${PODS} pods`);
  const rows = [
    ['nodes created', `${fmt(nodesMs / 1000, 1)} s`],
    ['pods created (64 at a time)', `${fmt(createdMs / 1000, 1)} s (${fmt((PODS * 1000) / createdMs)}/s)`],
    ['pods scheduled and bound', `${fmt((PODS * 1000) / totalMs)}/s (${fmt(totalMs / 1000, 1)} s from first create to last bind)`],
    [
      'bound while creating / after the last create',
      `${boundWhileCreating} / ${PODS - boundWhileCreating}` + (PODS > boundWhileCreating ? ` (at ${fmt(((PODS - boundWhileCreating) * 1000) / (totalMs - createdMs))}/s)` : ''),
    ],
    ['create→bound p50', `${fmt(quantile(latencies, 0.5))} ms`],
    ['create→bound p99', `${fmt(quantile(latencies, 0.99))} ms`],
    ['process CPU while creating and binding', `${fmt(cpuMs / 1000, 1)} s (${fmt((PODS * 1000) / cpuMs)} pods per CPU-second)`],
    [`backlog of ${PODS} pods scheduled and bound`, `${fmt((PODS * 1000) / backlogMs)}/s (${fmt(backlogMs / 1000, 1)} s, scheduler start included)`],
    ['process CPU for the backlog', `${fmt(backlogCpuMs / 1000, 1)} s (${fmt((PODS * 1000) / backlogCpuMs)} pods per CPU-second)`],
    [`RSS at start / after the first ${PODS} pods`, `${mb(rssStart)} MB / ${mb(rss)} MB`],
  ];
  printTable(['figure', 'value'], rows);
  console.log('');
  printMarkdown(['figure', 'value'], rows);
  await t.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
