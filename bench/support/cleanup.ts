// Process-wide cleanup for benchmarks: stops what they started and removes their temp dirs on success, error or signal.
import type { ChildProcess } from 'node:child_process';

const tasks = new Set<() => Promise<void>>();
const children = new Set<ChildProcess>();
let installed = false;

/** Registers an async cleanup run on signal or crash; returns a function that unregisters it. */
export function onCleanup(task: () => Promise<void>): () => void {
  install();
  tasks.add(task);
  return () => tasks.delete(task);
}

/** SIGKILLs `child` when this process exits while it is still running (last resort; stop it properly first). */
export function killOnExit(child: ChildProcess): void {
  install();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** Runs every registered cleanup once, newest first, reporting but not throwing failures. */
export async function runCleanups(): Promise<void> {
  for (const task of [...tasks].reverse()) {
    tasks.delete(task);
    await task().catch((err) => console.error(`cleanup failed: ${(err as Error).message}`));
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  let aborting = false;
  const abort = (why: string, code: number) => {
    console.error(why);
    // A second signal (a terminal Ctrl-C also reaches the parent, which forwards it) must not cut the cleanup short.
    if (aborting) return;
    aborting = true;
    void runCleanups().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => abort('interrupted (SIGINT), cleaning up', 130));
  process.on('SIGTERM', () => abort('terminated (SIGTERM), cleaning up', 143));
  process.on('uncaughtException', (err) => abort(`uncaught: ${err.stack ?? err}`, 1));
  process.on('unhandledRejection', (err) => abort(`unhandled rejection: ${(err as Error)?.stack ?? err}`, 1));
  process.on('exit', () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
}
