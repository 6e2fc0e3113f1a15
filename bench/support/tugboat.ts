// Starts the compiled `tugboat up` as a child process on a free port, as users run it, and stops it cleanly.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDataDir } from '../../src/kubelet/cri/testing';
import { killOnExit, onCleanup } from './cleanup';

/** The compiled CLI beside this build (dist/src/cli/main.js, or the same under a private --outDir). */
const MAIN_JS = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
/** The repo's bin/tugboat.js, used when it loads this same build. */
const BIN_JS = join(__dirname, '..', '..', '..', 'bin', 'tugboat.js');

/** Extra node flags for every tugboat child, e.g. BENCH_TUGBOAT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it. */
const NODE_ARGS = (process.env.BENCH_TUGBOAT_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

/** A running tugboat owned by a benchmark. */
export interface Tugboat {
  proc: ChildProcess;
  pid: number;
  dataDir: string;
  kubeconfig: string;
  /** https://127.0.0.1:PORT */
  server: string;
  /** The `ready in N ms` figure tugboat printed. */
  reportedReadyMs: number;
  /** Wall time from spawn to the ready line on stdout, measured here. */
  spawnToReadyMs: number;
  /** Wall-clock (performance.now) time of the spawn, for measuring later milestones from it. */
  spawnedAt: number;
  /** SIGTERM, wait for exit (SIGKILL after 5 s), and remove the data dir unless it was passed in. */
  stop(): Promise<void>;
}

/** Options of startTugboat. */
export interface StartOptions {
  /** Reuse this data dir (kept on stop); by default a fresh temp dir, removed on stop. */
  dataDir?: string;
  /** --store value: sqlite (default), memory or etcd://host:port. */
  store?: string;
  /** --sim-nodes N: simulated nodes started with the cluster (the ready line comes before they are all Ready). */
  simNodes?: number;
  /** More `tugboat up` flags. */
  args?: string[];
  /** Run this host's real node (root with containerd); off by default so API and sim figures leave containerd out. */
  realNode?: boolean;
  /** How long to wait for the ready line, in ms (default 30 s). */
  readyTimeoutMs?: number;
}

/** The command line that runs `tugboat` from this build. */
function tugboatCommand(): string[] {
  if (existsSync(BIN_JS) && realpathSync(join(BIN_JS, '..', '..', 'dist', 'src', 'cli', 'main.js')) === realpathSync(MAIN_JS)) return [BIN_JS];
  // A private build (tsc --outDir elsewhere): the same one-line entry as bin/tugboat.js, pointed at this build.
  return ['-e', 'require(process.argv[1]).main(process.argv.slice(2))', MAIN_JS];
}

/** Spawns `tugboat up --port 0 --no-merge` and resolves once it prints its ready line (within 30 s by default). */
export async function startTugboat(opts: StartOptions = {}): Promise<Tugboat> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'tugboat-bench-'));
  const args = [...NODE_ARGS, ...tugboatCommand(), 'up', '--data-dir', dataDir, '--port', '0', '--no-merge'];
  if (opts.store) args.push('--store', opts.store);
  if (opts.simNodes !== undefined) args.push('--sim-nodes', String(opts.simNodes));
  if (!opts.realNode) args.push('--no-real-node');
  args.push(...(opts.args ?? []));
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  killOnExit(proc);
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async () => {
    unregister();
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (!opts.dataDir) removeDataDir(dataDir);
  };
  const unregister = onCleanup(stop);
  try {
    const [server, reportedReadyMs] = await readyLine(proc, () => stderr, opts.readyTimeoutMs ?? 30_000);
    return {
      proc,
      pid: proc.pid!,
      dataDir,
      kubeconfig: join(dataDir, 'kubeconfig'),
      server,
      reportedReadyMs,
      spawnToReadyMs: performance.now() - spawnedAt,
      spawnedAt,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function readyLine(proc: ChildProcess, stderr: () => string, timeoutMs: number): Promise<[string, number]> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`tugboat did not become ready in ${timeoutMs / 1000} s:\n${stderr()}`)), timeoutMs);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready in (\d+) ms at (https:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve([m[2], Number(m[1])]);
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`tugboat exited (${code ?? signal}) before ready:\n${stderr()}`));
    });
  });
}
