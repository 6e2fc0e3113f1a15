// Starts a throwaway etcd (Debian's /usr/bin/etcd) on free loopback ports, for the etcd backend's tests and benchmarks.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's etcd-server package installs the binary. */
export const etcdBinary = '/usr/bin/etcd';

/** A running etcd; `stop` kills it and removes its data directory. */
export interface RunningEtcd {
  /** host:port of the client endpoint, as etcd:// URLs take it. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Why etcd tests cannot run here, or undefined when they can. */
export function etcdUnavailableReason(): string | undefined {
  return existsSync(etcdBinary) ? undefined : `${etcdBinary} not found (apt-get install etcd-server)`;
}

/** Starts etcd in a temp dir and resolves once it answers its health endpoint (within 10 s). */
export async function startEtcd(): Promise<RunningEtcd> {
  const [clientPort, peerPort] = await Promise.all([freePort(), freePort()]);
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-etcd-'));
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name=test',
    `--data-dir=${join(dir, 'data')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=test=${peer}`,
    '--logger=zap',
    '--log-outputs=stderr',
    '--log-level=error',
  ];
  // etcd 3.4 refuses to start on architectures other than amd64 unless told this is deliberate.
  const env = { ...process.env, ...(process.arch === 'x64' ? {} : { ETCD_UNSUPPORTED_ARCH: goArch(process.arch) }) };
  const proc = spawn(etcdBinary, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(`${client}/health`, proc);
  } catch (err) {
    await stop();
    throw new Error(`etcd did not start: ${(err as Error).message}\n${stderr}`);
  }
  return { endpoint: `127.0.0.1:${clientPort}`, stop };
}

async function waitHealthy(url: string, proc: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`exited with code ${proc.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok && ((await res.json()) as { health?: string }).health === 'true') return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`no healthy answer from ${url} within 10 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function goArch(nodeArch: string): string {
  return ({ arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', ia32: '386', arm: 'arm' } as Record<string, string>)[nodeArch] ?? nodeArch;
}
