// Worker thread holding the fan-out benchmark's watch streams, so decoding their events never delays the writers' loop.
import { parentPort, workerData } from 'node:worker_threads';
import { apiClient } from '../support/client';
import { wallNow } from '../support/clock';

/** What the worker is given. */
export interface WatchJob {
  server: string;
  dataDir: string;
  /** The watch URL path, with its resourceVersion. */
  path: string;
  watchers: number;
  /** MODIFIED events each watcher waits for. */
  updates: number;
}

/** Messages the worker posts: once all streams are open, then the results (when done, or when asked with 'report'). */
export type WatchMessage =
  | { type: 'ready' }
  | { type: 'result'; counts: number[]; doneAt: (number | undefined)[] }
  | { type: 'error'; message: string };

const MODIFIED = '{"type":"MODIFIED"';

async function run(job: WatchJob): Promise<void> {
  const port = parentPort!;
  const client = apiClient(job, job.watchers);
  const streams = await Promise.all(Array.from({ length: job.watchers }, () => client.stream(job.path)));
  const counts = streams.map(() => 0);
  const doneAt: (number | undefined)[] = streams.map(() => undefined);
  let finished = 0;
  let reported = false;
  const report = () => {
    if (reported) return;
    reported = true;
    port.postMessage({ type: 'result', counts, doneAt } satisfies WatchMessage);
    for (const s of streams) s.destroy();
    client.close();
    port.close();
  };
  streams.forEach((res, i) => {
    let rest = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (line.startsWith(MODIFIED)) counts[i]++;
      if (doneAt[i] === undefined && counts[i] >= job.updates) {
        doneAt[i] = wallNow();
        if (++finished === job.watchers) report();
      }
    });
  });
  port.on('message', (m) => m === 'report' && report());
  port.postMessage({ type: 'ready' } satisfies WatchMessage);
}

run(workerData as WatchJob).catch((err) => parentPort!.postMessage({ type: 'error', message: (err as Error).message } satisfies WatchMessage));
