// API benchmark: start time, idle RSS, ConfigMap create throughput (SQLite vs etcd), 10k-pod lists and watch fan-out.
import { cpus, loadavg } from 'node:os';
import { benchCreates } from './api/creates';
import { benchIdleRss } from './api/idle-rss';
import { benchListPods } from './api/list-pods';
import { benchStartTime } from './api/start-time';
import { AllFigures, printSummary } from './api/summary';
import { benchWatchFanout } from './api/watch-fanout';
import { runCleanups } from './support/cleanup';
import { startTugboat } from './support/tugboat';

/** Runs one section; a failure is reported and the next section still runs. */
async function section<T>(name: string, run: () => Promise<T>, failures: string[]): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    console.error(`\n${name} FAILED: ${(err as Error).stack ?? err}`);
    failures.push(name);
    return undefined;
  }
}

async function main(): Promise<void> {
  const load = loadavg()[0].toFixed(2);
  console.log(`api benchmark: tugboat as a child process, all traffic on 127.0.0.1, node ${process.version}, ${cpus().length} CPUs, load average ${load} at start`);
  const failures: string[] = [];
  const f: AllFigures = {};
  f.start = await section('start time', benchStartTime, failures);
  f.rss = await section('idle RSS', benchIdleRss, failures);
  f.creates = await section('creates', benchCreates, failures);
  await section(
    'list and watch',
    async () => {
      const t = await startTugboat();
      try {
        f.list = await section('list pods', () => benchListPods(t), failures);
        f.watch = await section('watch fan-out', () => benchWatchFanout(t), failures);
      } finally {
        await t.stop();
      }
    },
    failures,
  );
  printSummary(f);
  if (failures.length) {
    console.error(`\nfailed sections: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(runCleanups);
