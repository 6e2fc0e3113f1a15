// Test support: a private containerd with its own bridge, subnet and images, torn down completely afterwards.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CriClient } from '../../cri/client';
import { ensureTestImages } from '../../images/import';
import { containerdAvailable, runtimeStateDir, startContainerd, type OwnContainerd } from './containerd';
import { writeCniConfig, type CniOptions } from './cni';
import { processAlive } from '../../util/process';

/** A running test runtime: containerd, a CRI client to it, and where its pods get addresses. */
export interface TestRuntime {
  runtime: OwnContainerd;
  cri: CriClient;
  dataDir: string;
  podCIDR: string;
  bridge: string;
  /** Stops containerd and starts it again on the same dir (as a tugboat restart does); `runtime` and `cri` are replaced. */
  restart(): Promise<void>;
  /** Removes every sandbox, stops containerd, deletes the bridge and the data dir. */
  cleanup(): Promise<void>;
}

/** Why tests that need a real containerd must skip on this host, or undefined when they can run. */
export function runtimeSkipReason(): string | undefined {
  const why = containerdAvailable();
  return why && `needs a real containerd: ${why}`;
}

/** Claims a test network number no other live test process holds (a lock file with the owner's pid); returns it and its lock. */
function claimNetwork(): [n: number, lock: string] {
  for (let i = 0; i < 250; i++) {
    const n = (process.pid + i) % 250;
    const lock = join(tmpdir(), `tugboat-test-net-${n}.lock`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(lock, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return [n, lock];
      } catch {
        let owner = 0;
        try {
          owner = Number(readFileSync(lock, 'utf8'));
        } catch {
          // removed meanwhile
        }
        if (!owner || processAlive(owner)) break; // held (or being written): try the next number
        rmSync(lock, { force: true }); // left by a dead test: take it over
      }
    }
  }
  throw new Error('no free test network: remove stale tugboat-test-net-*.lock files');
}

/**
 * Starts a containerd for one test file, with its own bridge and 10.250.N.0/24 subnet, so test files running at
 * the same time (and a real node on cni0) never share addresses. `ipMasq: false` gives the real node's CNI config
 * (masquerading left to a node-wide rule, which test pods do without).
 */
export async function startTestRuntime(opts: Pick<CniOptions, 'ipMasq'> = {}): Promise<TestRuntime> {
  const [n, lock] = claimNetwork();
  const podCIDR = `10.250.${n}.0/24`;
  const bridge = `tgbtest${n}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'tugboat-cri-test-'));
  const runtime = await startContainerd({ dataDir });
  writeCniConfig(runtime.cniConfDir, podCIDR, { bridge, ipamDataDir: join(dataDir, 'ipam'), ...opts });
  const rt: TestRuntime = {
    runtime,
    cri: CriClient.connect(runtime.endpoint),
    dataDir,
    podCIDR,
    bridge,
    restart: async () => {
      rt.cri.close();
      await rt.runtime.stop();
      rt.runtime = await startContainerd({ dataDir });
      rt.cri = CriClient.connect(rt.runtime.endpoint);
    },
    cleanup: async () => {
      try {
        const { items } = await rt.cri.listPodSandbox();
        for (const s of items) {
          await rt.cri.stopPodSandbox({ podSandboxId: s.id });
          await rt.cri.removePodSandbox({ podSandboxId: s.id });
        }
      } finally {
        rt.cri.close();
        await rt.runtime.stop();
        try {
          execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
        } catch {
          // no pod ever made the bridge
        }
        removeDataDir(dataDir);
        rmSync(lock, { force: true });
      }
    },
  };
  try {
    await ensureTestImages(runtime.endpoint);
  } catch (e) {
    await rt.cleanup();
    throw e;
  }
  return rt;
}

/**
 * Stops and removes every sandbox the runtime at `endpoint` still has, after waiting up to `graceMs` for them to go on
 * their own: containers outlive tugboat in their shims, so a test or benchmark must not leave any behind.
 */
export async function removeAllSandboxes(endpoint: string, graceMs = 0): Promise<void> {
  const cri = CriClient.connect(endpoint, { timeoutMs: 15_000 });
  try {
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && (await cri.listPodSandbox({})).items.length > 0) await new Promise((r) => setTimeout(r, 250));
    for (const s of (await cri.listPodSandbox({})).items) {
      await cri.stopPodSandbox({ podSandboxId: s.id }).catch(() => undefined);
      await cri.removePodSandbox({ podSandboxId: s.id }).catch(() => undefined);
    }
  } catch {
    // the runtime is gone already
  } finally {
    cri.close();
  }
}

/**
 * Unmounts whatever is still mounted under a data dir and its runtime state dir (the rootfs of a shim that outlived
 * containerd, the kubelet's tmpfs for secret volumes, which outlives tugboat on purpose), then deletes both.
 */
export function removeDataDir(dir: string): void {
  // The runtime state dir (under /run) holds the containers' rootfs mounts: it is unmounted and removed with the data dir.
  const state = runtimeStateDir(dir);
  for (const root of state === join(dir, 'containerd') ? [dir] : [state, dir]) {
    try {
      execFileSync('sh', ['-c', `grep -o ' ${root}/[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l`], { stdio: 'ignore' });
    } catch {
      // nothing mounted
    }
    rmSync(root, { recursive: true, force: true });
  }
}
