// Starts a real tugboat (the compiled CLI, as users run it) and drives it with the real kubectl.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'tugboat.js');

/** Output of one kubectl run. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running cluster owned by a test file. */
export interface TestCluster {
  dataDir: string;
  kubeconfig: string;
  server: string;
  proc: ChildProcess;
  /** Runs kubectl against the cluster; never throws on a non-zero exit. */
  kubectl(args: string[], input?: string): KubectlResult;
  /** Runs kubectl and throws with its stderr when it fails; returns stdout. */
  k(args: string[], input?: string): string;
  stop(): Promise<void>;
}

/** How a test cluster is started. */
export interface ClusterOptions {
  /** Run containers on this host (root with containerd); off by default so simulated-node tests see only their sim nodes. */
  realNode?: boolean;
}

/** Starts `tugboat up` on a free port with its own data dir; extra flags are passed through. */
export async function startCluster(extra: string[] = [], dataDir?: string, opts: ClusterOptions = {}): Promise<TestCluster> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'tugboat-e2e-'));
  const flags = ['--data-dir', dir, '--port', '0', '--no-merge', ...(opts.realNode ? [] : ['--no-real-node']), ...extra];
  const proc = spawn(process.execPath, [BIN, 'up', ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TUGBOAT_LOG_LEVEL: process.env.TUGBOAT_LOG_LEVEL ?? 'warn' },
  });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const server = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`tugboat did not become ready: ${stderr}`)), 20000);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /ready in \d+ ms at (https:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tugboat exited with ${code}: ${stderr}`));
    });
  });
  const kubeconfig = join(dir, 'kubeconfig');
  const kubectl = (args: string[], input?: string): KubectlResult => {
    const r = spawnSync('kubectl', args, {
      input,
      env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir },
      encoding: 'utf8',
      timeout: 60000,
    });
    return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  return {
    dataDir: dir,
    kubeconfig,
    server,
    proc,
    kubectl,
    k(args, input) {
      const r = kubectl(args, input);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    async stop() {
      // Containers outlive tugboat (the next start adopts them): a test cluster removes its pods first, so none leak.
      if (opts.realNode && proc.exitCode === null) kubectl(['delete', 'pods', '--all', '--all-namespaces', '--grace-period=1', '--timeout=60s']);
      if (proc.exitCode === null) {
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGTERM');
        await exited;
      }
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
