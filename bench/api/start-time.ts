// Start time: spawn `tugboat up` cold (fresh data dir, certificates created) and warm, until `kubectl get ns` succeeds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from '../support/cleanup';
import { timedShell } from '../support/kubectl';
import { fmt, heading, minMedian, printTable } from '../support/stats';
import { startTugboat } from '../support/tugboat';

const WARM_RUNS = 5;

/** One start, in milliseconds. */
interface StartRun {
  reportedReady: number;
  spawnToReady: number;
  kubectl: number;
  total: number;
}

/** Start-time figures for the summary. */
export interface StartFigures {
  cold: StartRun;
  warmTotal: { min: number; median: number };
  warmReported: { min: number; median: number };
  /** `kubectl get ns` alone against an already running server (same HOME, cache warm). */
  kubectlAlone: number;
}

/** Starts tugboat on `dataDir`, runs `kubectl get ns` until it succeeds, stops it; returns the timings. */
async function oneStart(dataDir: string, kubectlAlone: number[]): Promise<StartRun> {
  const t = await startTugboat({ dataDir });
  try {
    let last = '';
    for (let attempt = 0; attempt < 20; attempt++) {
      const k = await timedShell('kubectl get ns', t);
      if (k.ok) {
        const total = performance.now() - t.spawnedAt;
        kubectlAlone.push((await timedShell('kubectl get ns', t)).ms);
        return { reportedReady: t.reportedReadyMs, spawnToReady: t.spawnToReadyMs, kubectl: k.ms, total };
      }
      last = k.stderr;
    }
    throw new Error(`kubectl get ns never succeeded: ${last}`);
  } finally {
    await t.stop();
  }
}

/** Measures one cold and WARM_RUNS warm starts and prints them. */
export async function benchStartTime(): Promise<StartFigures> {
  heading('1. start time (spawn → first successful `kubectl get ns`)');
  const dataDir = mkdtempSync(join(tmpdir(), 'tugboat-bench-start-'));
  const remove = async () => rmSync(dataDir, { recursive: true, force: true });
  const unregister = onCleanup(remove);
  try {
    const alone: number[] = [];
    const cold = await oneStart(dataDir, alone);
    const warm: StartRun[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push(await oneStart(dataDir, alone));
    const row = (name: string, r: StartRun) => [name, fmt(r.reportedReady), fmt(r.spawnToReady), fmt(r.kubectl), fmt(r.total)];
    printTable(
      ['run', 'ready (reported) ms', 'spawn→ready line ms', 'kubectl get ns ms', 'spawn→kubectl ok ms'],
      [row('cold', cold), ...warm.map((r, i) => row(`warm ${i + 1}`, r))],
    );
    const warmTotal = minMedian(warm.map((r) => r.total));
    const warmReported = minMedian(warm.map((r) => r.reportedReady));
    const kubectlAlone = minMedian(alone).median;
    console.log(
      `warm spawn→kubectl ok: min ${fmt(warmTotal.min)} ms, median ${fmt(warmTotal.median)} ms (goal < 500 ms); ` +
        `reported ready: min ${fmt(warmReported.min)} ms, median ${fmt(warmReported.median)} ms`,
    );
    console.log(`for reference, a second \`kubectl get ns\` on the running server takes ${fmt(kubectlAlone)} ms (median)`);
    return { cold, warmTotal, warmReported, kubectlAlone };
  } finally {
    unregister();
    await remove();
  }
}
