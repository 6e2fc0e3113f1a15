// Watch fan-out: 100 watchers on one namespace's ConfigMaps while 1,000 merge patches hit one ConfigMap.
import { apiClient } from '../support/client';
import { cpuMs } from '../support/proc';
import { fmt, heading, printTable, quantile } from '../support/stats';
import type { Tugboat } from '../support/tugboat';

const WATCHERS = 100;
const UPDATES = 1000;
const WRITERS = 4;
const TIMEOUT_MS = 120_000;
const MODIFIED = '{"type":"MODIFIED"';

/** Fan-out figures for the summary (milliseconds unless named otherwise). */
export interface WatchFigures {
  /** From the first patch sent to the last watcher's last event. */
  elapsed: number;
  eventsPerSecond: number;
  /** When the last patch was acknowledged, from the first patch sent. */
  patchesDone: number;
  /** Slowest watcher's last event after the last patch was acknowledged. */
  slowestLag: number;
  /** Median watcher's completion, from the first patch sent. */
  medianDone: number;
  received: number;
  serverCpu: number;
  clientCpu: number;
}

/** One watch stream counting MODIFIED events and noting when it saw its UPDATES-th. */
interface Watcher {
  count: number;
  doneAt?: number;
}

/** Opens the watchers, runs the patches, waits for every event and prints the figures. */
export async function benchWatchFanout(t: Tugboat): Promise<WatchFigures> {
  heading(`5. watch fan-out (${WATCHERS} watchers, ${UPDATES} merge patches to one ConfigMap from ${WRITERS} clients)`);
  const admin = apiClient(t, 1);
  const watchClient = apiClient(t, WATCHERS);
  const writers = apiClient(t, WRITERS);
  try {
    await admin.send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    const cm = await admin.json('POST', '/api/v1/namespaces/bench/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'fan' },
      data: { n: '0' },
    });
    const rv = cm.metadata.resourceVersion as string;
    const watchers: Watcher[] = [];
    let finished = 0;
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => (resolveAll = r));
    const streams = await Promise.all(
      Array.from({ length: WATCHERS }, () => watchClient.stream(`/api/v1/namespaces/bench/configmaps?watch=1&resourceVersion=${rv}&timeoutSeconds=600`)),
    );
    for (const res of streams) {
      const w: Watcher = { count: 0 };
      watchers.push(w);
      let rest = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        for (const line of lines) if (line.startsWith(MODIFIED)) w.count++;
        if (w.doneAt === undefined && w.count >= UPDATES) {
          w.doneAt = performance.now();
          if (++finished === WATCHERS) resolveAll();
        }
      });
    }

    const s0 = cpuMs(t.pid);
    const c0 = process.cpuUsage();
    const started = performance.now();
    let next = 1;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let i = next++; i <= UPDATES; i = next++) {
          await writers.json('PATCH', '/api/v1/namespaces/bench/configmaps/fan', { data: { n: String(i) } }, { 'Content-Type': 'application/merge-patch+json' });
        }
      }),
    );
    const patchesDone = performance.now();
    const giveUp = setTimeout(resolveAll, TIMEOUT_MS);
    await all;
    clearTimeout(giveUp);
    const end = performance.now();
    const wall = end - started;
    const serverCpu = (100 * (cpuMs(t.pid) - s0)) / wall;
    const c = process.cpuUsage(c0);
    const clientCpu = (100 * (c.user + c.system)) / 1000 / wall;

    const received = watchers.reduce((n, w) => n + Math.min(w.count, UPDATES), 0);
    const done = watchers.map((w) => (w.doneAt ?? end) - started).sort((a, b) => a - b);
    const last = done[done.length - 1];
    const figures: WatchFigures = {
      elapsed: last,
      eventsPerSecond: received / (last / 1000),
      patchesDone: patchesDone - started,
      slowestLag: started + last - patchesDone,
      medianDone: quantile(done, 0.5),
      received,
      serverCpu,
      clientCpu,
    };
    if (finished < WATCHERS) console.log(`WARNING: only ${finished}/${WATCHERS} watchers got all ${UPDATES} events within ${TIMEOUT_MS / 1000} s`);
    printTable(
      ['figure', 'value'],
      [
        ['events delivered', `${received} of ${WATCHERS * UPDATES}`],
        ['patches acknowledged after', `${fmt(figures.patchesDone)} ms (${fmt(UPDATES / (figures.patchesDone / 1000))} patches/s)`],
        ['fastest watcher complete after', `${fmt(done[0])} ms`],
        ['median watcher complete after', `${fmt(figures.medianDone)} ms`],
        ['slowest watcher complete after', `${fmt(last)} ms`],
        ['slowest watcher lag behind last patch ack', `${fmt(figures.slowestLag)} ms${figures.slowestLag <= 0 ? ' (≤ 0: watchers had every event before the last patch response arrived)' : ''}`],
        ['events/s delivered', fmt(figures.eventsPerSecond)],
        ['tugboat CPU / bench CPU', `${fmt(serverCpu)}% / ${fmt(clientCpu)}% of one core`],
      ],
    );
    for (const res of streams) res.destroy();
    return figures;
  } finally {
    admin.close();
    watchClient.close();
    writers.close();
  }
}
