// Pods through the API on a whole cluster: `tugboat up --sim-nodes N` as users run it (SQLite, every controller, the scheduler, sim kubelets); pods created over HTTPS; pods/s bound and Running, create→bound latency, RSS.
import type { IncomingMessage } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { apiClient, type ApiClient } from './support/client';
import { rssMiB } from './support/proc';
import { fmt, heading, printMarkdown, printTable, quantile } from './support/stats';
import { startTugboat } from './support/tugboat';
import { UP_FLAGS } from '../src/cli/up';
import { onLines } from '../src/client/json-lines';

const NODES = Number(process.env.BENCH_NODES ?? 5000);
const PODS = Number(process.env.BENCH_PODS ?? 10_000);
/** --store of the cluster: sqlite (the default, as `tugboat up`) or memory. */
const STORE = process.env.BENCH_STORE ?? 'sqlite';
/** HTTPS connections creating pods at once, like many clients. */
const CLIENTS = 64;
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 1800) * 1000;
const NAMESPACE = 'bench';

type Pod = { metadata: { name: string }; spec?: { nodeName?: string }; status?: { phase?: string; conditions?: { type: string; status: string }[] } };

const isReady = (o: Pod) => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Calls `onObject` for each object of a watch stream (one JSON event per line). */
function eachEvent(res: IncomingMessage, onObject: (o: Pod) => void): void {
  onLines(res, (line) => onObject((JSON.parse(line) as { object: Pod }).object));
}

/** Resolves when `done()` holds, checked every 100 ms; rejects with `what` after the timeout. */
async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = performance.now() + TIMEOUT_MS;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until `count` nodes are Ready, watching them as a client would. */
async function nodesReady(client: ApiClient, count: number): Promise<void> {
  const ready = new Set<string>();
  const res = await client.stream('/api/v1/nodes?watch=1&resourceVersion=0');
  eachEvent(res, (n) => (isReady(n) ? ready.add(n.metadata.name) : ready.delete(n.metadata.name)));
  try {
    await until(`${count} nodes Ready`, () => ready.size >= count);
  } finally {
    res.destroy();
  }
}

async function main(): Promise<void> {
  console.log(`cluster benchmark: tugboat up --sim-nodes ${NODES} --store ${STORE} as a child process, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)}`);
  // Only sim nodes: a real node (when this machine could run one) would take pods too.
  const args = UP_FLAGS.includes('no-real-node') ? ['--no-real-node'] : [];
  const t = await startTugboat({ simNodes: NODES, store: STORE, args, readyTimeoutMs: 120_000 });
  const client = apiClient(t, CLIENTS + 2);
  try {
    const t0 = performance.now();
    await nodesReady(client, NODES);
    const nodesMs = performance.now() - t0;
    const rssNodes = rssMiB(t.pid);
    await client.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });

    const createdAt = new Map<string, number>();
    const latencies: number[] = [];
    const bound = new Set<string>();
    const running = new Set<string>();
    let lastBound = 0;
    let lastRunning = 0;
    const watch = await client.stream(`/api/v1/namespaces/${NAMESPACE}/pods?watch=1`);
    eachEvent(watch, (p) => {
      const name = p.metadata.name;
      const now = performance.now();
      if (p.spec?.nodeName && !bound.has(name) && createdAt.has(name)) {
        bound.add(name);
        latencies.push(now - createdAt.get(name)!);
        lastBound = now;
      }
      if (p.status?.phase === 'Running' && isReady(p) && !running.has(name)) {
        running.add(name);
        lastRunning = now;
      }
    });

    const start = performance.now();
    let next = 0;
    let errors = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = next++; i < PODS; i = next++) {
          const name = `pod-${i}`;
          createdAt.set(name, performance.now());
          const r = await client.send('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name, labels: { app: 'bench' } },
            spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
          });
          if (r.status !== 201) errors++;
        }
      }),
    );
    const createdMs = performance.now() - start;
    await until(`${PODS} pods bound`, () => bound.size >= PODS - errors);
    await until(`${PODS} pods Running`, () => running.size >= PODS - errors);
    watch.destroy();
    const boundMs = lastBound - start;
    const runningMs = lastRunning - start;
    const rss = rssMiB(t.pid);
    latencies.sort((a, b) => a - b);

    heading(`${NODES} sim nodes, ${PODS} pods through the API (store ${STORE})`);
    const rows = [
      [`${NODES} sim nodes Ready (after the ready line)`, `${fmt(nodesMs / 1000, 1)} s, RSS ${fmt(rssNodes)} MiB`],
      [`pods created (${CLIENTS} HTTPS clients)`, `${fmt(createdMs / 1000, 1)} s (${fmt((PODS * 1000) / createdMs)}/s, ${errors} errors)`],
      ['pods scheduled and bound', `${fmt((bound.size * 1000) / boundMs)}/s (${fmt(boundMs / 1000, 1)} s from first create to last bind)`],
      ['create→bound p50 / p99', `${fmt(quantile(latencies, 0.5))} / ${fmt(quantile(latencies, 0.99))} ms`],
      ['pods Running and Ready', `${fmt((running.size * 1000) / runningMs)}/s (${fmt(runningMs / 1000, 1)} s from first create)`],
      ['tugboat RSS with every pod Running', `${fmt(rss)} MiB (${fmt(((rss - rssNodes) * 1024) / PODS, 1)} KiB per pod over the nodes-only RSS)`],
    ];
    printTable(['figure', 'value'], rows);
    console.log('');
    printMarkdown(['figure', 'value'], rows);
  } finally {
    client.close();
    await t.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
