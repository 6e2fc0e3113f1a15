// Watch fan-out: 100 watchers on one namespace's ConfigMaps while 1,000 merge patches hit one ConfigMap.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { apiClient, ApiClient } from '../support/client';
import { wallNow } from '../support/clock';
import { cpuMs } from '../support/proc';
import { fmt, heading, printTable, quantile } from '../support/stats';
import type { Tugboat } from '../support/tugboat';
import type { WatchJob, WatchMessage } from './watchers-worker';

const WATCHERS = 100;
const UPDATES = 1000;
const WRITERS = 4;
const TIMEOUT_MS = 120_000;
const CM_PATH = '/api/v1/namespaces/bench/configmaps';

/** Fan-out figures for the summary (milliseconds unless named otherwise). */
export interface WatchFigures {
  /** The same patches with no watcher open, for comparison. */
  baselinePatchesPerSecond: number;
  /** From the first patch sent to the last watcher's last event. */
  elapsed: number;
  eventsPerSecond: number;
  /** When the last patch was acknowledged, from the first patch sent. */
  patchesDone: number;
  /** Slowest watcher's last event after the last patch was acknowledged (negative: before). */
  slowestLag: number;
  received: number;
}

/** Each stream's MODIFIED count and completion time (wallNow). */
type WatchResult = Extract<WatchMessage, { type: 'result' }>;

/** The watch streams, held by a worker thread. */
interface Watchers {
  /** Resolves once every stream is done, or when asked early. */
  result: Promise<WatchResult>;
  /** Asks for the result now (on timeout). */
  report(): void;
  stop(): Promise<void>;
}

/** Starts a worker holding WATCHERS watches from `rv`; resolves once every stream is open. */
function openWatchers(t: Tugboat, rv: string): Promise<Watchers> {
  const job: WatchJob = {
    server: t.server,
    dataDir: t.dataDir,
    path: `${CM_PATH}?watch=1&resourceVersion=${rv}&timeoutSeconds=600`,
    watchers: WATCHERS,
    updates: UPDATES,
  };
  const worker = new Worker(join(__dirname, 'watchers-worker.js'), { workerData: job });
  return new Promise((resolveReady, rejectReady) => {
    let resolveResult!: (r: WatchResult) => void;
    const result = new Promise<WatchResult>((r) => (resolveResult = r));
    worker.on('error', rejectReady);
    worker.on('message', (m: WatchMessage) => {
      if (m.type === 'ready') resolveReady({ result, report: () => worker.postMessage('report'), stop: () => worker.terminate().then(() => undefined) });
      else if (m.type === 'result') resolveResult(m);
      else rejectReady(new Error(`watch worker: ${m.message}`));
    });
  });
}

/** Sends UPDATES merge patches to ConfigMap `fan` from WRITERS clients; resolves when all are acknowledged. */
async function patchAll(writers: ApiClient): Promise<void> {
  let next = 1;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let i = next++; i <= UPDATES; i = next++) {
        await writers.json('PATCH', `${CM_PATH}/fan`, { data: { n: String(i) } }, { 'Content-Type': 'application/merge-patch+json' });
      }
    }),
  );
}

/** Patches once without watchers (baseline), then with WATCHERS open; prints the figures. */
export async function benchWatchFanout(t: Tugboat): Promise<WatchFigures> {
  heading(`5. watch fan-out (${WATCHERS} watchers, ${UPDATES} merge patches to one ConfigMap from ${WRITERS} clients)`);
  const writers = apiClient(t, WRITERS);
  let watchers: Watchers | undefined;
  try {
    await writers.send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    await writers.json('POST', CM_PATH, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fan' }, data: { n: '0' } });
    const b0 = performance.now();
    await patchAll(writers);
    const baselinePatchesPerSecond = UPDATES / ((performance.now() - b0) / 1000);

    const rv = (await writers.json('GET', `${CM_PATH}/fan`)).metadata.resourceVersion as string;
    watchers = await openWatchers(t, rv);
    const s0 = cpuMs(t.pid);
    const c0 = process.cpuUsage();
    const started = wallNow();
    await patchAll(writers);
    const patchesDone = wallNow() - started;
    const timer = setTimeout(watchers.report, TIMEOUT_MS);
    const { counts, doneAt } = await watchers.result;
    clearTimeout(timer);
    const wall = wallNow() - started;
    const serverCpu = (100 * (cpuMs(t.pid) - s0)) / wall;
    const c = process.cpuUsage(c0); // the whole process: writers and the watchers' worker thread
    const clientCpu = (100 * (c.user + c.system)) / 1000 / wall;

    const complete = doneAt.filter((d) => d !== undefined).length;
    const received = counts.reduce((n, k) => n + Math.min(k, UPDATES), 0);
    const done = doneAt.map((d) => (d ?? started + wall) - started).sort((a, b) => a - b);
    const last = done[done.length - 1];
    const figures: WatchFigures = {
      baselinePatchesPerSecond,
      elapsed: last,
      eventsPerSecond: received / (last / 1000),
      patchesDone,
      slowestLag: last - patchesDone,
      received,
    };
    if (complete < WATCHERS) console.log(`WARNING: only ${complete}/${WATCHERS} watchers got all ${UPDATES} events within ${TIMEOUT_MS / 1000} s`);
    const lag = figures.slowestLag <= 0 ? '≤ 0 ms (every watcher had every event before the last patch response arrived)' : `${fmt(figures.slowestLag)} ms`;
    printTable(
      ['figure', 'value'],
      [
        [`baseline: ${UPDATES} patches, no watchers`, `${fmt(baselinePatchesPerSecond)} patches/s`],
        [`with ${WATCHERS} watchers: patches acknowledged after`, `${fmt(patchesDone)} ms (${fmt(UPDATES / (patchesDone / 1000))} patches/s)`],
        ['events delivered', `${received} of ${WATCHERS * UPDATES}`],
        ['fastest / median / slowest watcher complete after', `${fmt(done[0])} / ${fmt(quantile(done, 0.5))} / ${fmt(last)} ms`],
        ['slowest watcher lag behind last patch ack', lag],
        ['events/s delivered', fmt(figures.eventsPerSecond)],
        ['tugboat CPU / bench CPU (writers + watcher thread)', `${fmt(serverCpu)}% / ${fmt(clientCpu)}% of one core`],
      ],
    );
    return figures;
  } finally {
    await watchers?.stop();
    writers.close();
  }
}
