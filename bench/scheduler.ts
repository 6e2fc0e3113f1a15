// Scheduler benchmark, in process: 5,000 nodes, then 10,000 pods created through the client as fast as possible; pods/s bound and create→bound latency.
import { cpus, loadavg } from 'node:os';
import type { KObject } from '../src/api/types';
import { startTestApi } from '../src/apiserver/testing';
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
  metadata: { name: `pod-${i}`, namespace: 'bench', labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
});

const mb = (bytes: number) => fmt(bytes / 1024 / 1024);

async function main(): Promise<void> {
  configureLog({ level: 'warn' });
  console.log(`scheduler benchmark: in process (API server on the memory store + scheduler), node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)}`);
  const t = await startTestApi();
  const rssStart = process.memoryUsage().rss;
  await t.client.resource(R.namespaces).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  const nodesStart = performance.now();
  const nodes = t.client.resource(R.nodes);
  for (let i = 0; i < NODES; i += 100) await Promise.all(Array.from({ length: Math.min(100, NODES - i) }, (_, j) => nodes.create('', node(i + j))));
  const nodesMs = performance.now() - nodesStart;

  const informers = new SharedInformers(t.client, realClock);
  const scheduler = startScheduler({ client: t.client, informers, clock: realClock, recorder: (c) => eventRecorder(t.client, c, realClock) });
  await informers.waitForSync();

  // Bound times come from a watch of our own, as a client would see them.
  const created = new Map<string, number>();
  const latencies: number[] = [];
  let lastBound = 0;
  let done!: () => void;
  const allBound = new Promise<void>((r) => (done = r));
  const watch = t.client.resource(R.pods).watch(
    'bench',
    { resourceVersion: '0' },
    (ev) => {
      const name = ev.object.metadata.name!;
      if (ev.type !== 'MODIFIED' || !ev.object.spec?.nodeName || !created.has(name)) return;
      const at = performance.now();
      latencies.push(at - created.get(name)!);
      created.delete(name);
      lastBound = at;
      if (latencies.length === PODS) done();
    },
    () => {},
  );

  const pods = t.client.resource(R.pods);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: CREATE_CONCURRENCY }, async () => {
      while (next < PODS) {
        const i = next++;
        created.set(`pod-${i}`, performance.now());
        await pods.create('bench', pod(i));
        // In process a create completes in microtasks; yielding as a network client would lets scheduling run meanwhile.
        await new Promise((r) => setImmediate(r));
      }
    }),
  );
  const createdMs = performance.now() - start;
  const boundWhileCreating = latencies.length;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => (timer = setTimeout(() => reject(new Error(`only ${latencies.length}/${PODS} pods bound after 5 minutes`)), 300_000)));
  await Promise.race([allBound, timeout]);
  clearTimeout(timer);
  const totalMs = lastBound - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rss = process.memoryUsage().rss;
  watch.stop();
  scheduler.stop();
  informers.stop();

  latencies.sort((a, b) => a - b);
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
    ['process CPU during the run (API server + scheduler)', `${fmt(cpuMs / 1000, 1)} s (${fmt((PODS * 1000) / cpuMs)} pods per CPU-second)`],
    ['RSS at start / at end', `${mb(rssStart)} MB / ${mb(rss)} MB`],
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
