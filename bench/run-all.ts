// Runs every benchmark as its own child process, one after another, so one crash or hang does not hide the others.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, printTable } from './support/stats';

/** Names picked on the command line (`run-all.js api store`); none means all. */
const PICKED = process.argv.slice(2).map((a) => a.replace(/\.[jt]s$/, ''));
/** Every compiled benchmark beside this file (helpers live in subfolders), in name order, or the picked ones. */
const BENCHMARKS = readdirSync(__dirname)
  .filter((f) => f.endsWith('.js') && f !== 'run-all.js')
  .filter((f) => PICKED.length === 0 || PICKED.includes(f.slice(0, -3)))
  .sort();
/** A benchmark still running after this long is stopped (SIGTERM, which lets it clean up; SIGKILL 15 s later). */
const TIMEOUT_MS = 10 * 60_000;
/** Set on SIGINT/SIGTERM: the running benchmark is told to stop and no further one starts. */
let interrupted = false;

/** Runs one benchmark with inherited stdio; resolves with how it ended and how long it took. */
function runOne(file: string): Promise<{ outcome: string; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(__dirname, file)], { stdio: 'inherit' });
  let timedOut = false;
  const term = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
  }, TIMEOUT_MS);
  const kill = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS + 15_000);
  const forward = (sig: NodeJS.Signals) => () => {
    interrupted = true;
    child.kill(sig);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(term);
      clearTimeout(kill);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      const outcome = timedOut ? `timed out after ${TIMEOUT_MS / 60_000} min` : signal ? `killed by ${signal}` : code === 0 ? 'ok' : `exit code ${code}`;
      resolve({ outcome, ms: performance.now() - started });
    });
  });
}

async function main(): Promise<void> {
  const results: string[][] = [];
  for (const file of BENCHMARKS) {
    if (interrupted) break;
    console.log(`\n######## ${file} ########`);
    const r = await runOne(file);
    results.push([file, r.outcome, fmt(r.ms / 1000, 1)]);
  }
  console.log('\n######## benchmarks ########');
  printTable(['benchmark', 'outcome', 'seconds'], results);
  if (interrupted || results.length < BENCHMARKS.length || results.some((r) => r[1] !== 'ok')) process.exitCode = 1;
}

void main();
