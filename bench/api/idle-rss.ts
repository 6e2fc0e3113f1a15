// Idle memory: VmRSS of a started tugboat after 3 s without requests, next to a bare node process.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { killOnExit } from '../support/cleanup';
import { rssMiB } from '../support/proc';
import { fmt, heading, printTable } from '../support/stats';
import { startTugboat } from '../support/tugboat';

const IDLE_MS = 3000;

/** Idle RSS figures in MiB. */
export interface RssFigures {
  tugboat: number;
  bareNode: number;
}

/** RSS of an idle `node -e` process, the floor any Node program starts from. */
async function bareNodeRss(): Promise<number> {
  const proc = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  killOnExit(proc);
  try {
    await sleep(IDLE_MS);
    return rssMiB(proc.pid!);
  } finally {
    proc.kill('SIGKILL');
  }
}

/** Starts tugboat on a fresh data dir, waits IDLE_MS, reads its VmRSS and prints it. */
export async function benchIdleRss(): Promise<RssFigures> {
  heading(`2. idle RSS (${IDLE_MS / 1000} s after ready, no requests)`);
  const t = await startTugboat();
  let tugboat: number;
  try {
    await sleep(IDLE_MS);
    tugboat = rssMiB(t.pid);
  } finally {
    await t.stop();
  }
  const bareNode = await bareNodeRss();
  printTable(
    ['process', 'VmRSS MiB'],
    [
      ['tugboat up (sqlite)', fmt(tugboat, 1)],
      ['bare `node -e` for reference', fmt(bareNode, 1)],
    ],
  );
  console.log(`goal < 80 MB: ${tugboat < 80 ? 'met' : 'NOT met'}`);
  return { tugboat, bareNode };
}
