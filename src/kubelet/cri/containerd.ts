// Runs the node's own containerd (config, socket, images and logs under <data-dir>/containerd, runtime state under /run), or connects to an existing runtime.
import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { delimiter, join, resolve } from 'node:path';
import { CriClient } from '../../cri/client';
import type { VersionResponse } from '../../cri/types';
import { logger, type Logger } from '../../util/log';
import { processAlive } from '../../util/process';
import { PAUSE_IMAGE } from '../../images/names';
import { writeCniConfig } from './cni';

/** A CRI runtime the kubelet talks to. */
export interface ContainerRuntime {
  /** The CRI socket path. */
  endpoint: string;
  /** What Version answered (runtimeName/runtimeVersion go into nodeInfo.containerRuntimeVersion). */
  version: VersionResponse;
  /** Stops the runtime if we started it; containers keep running in their shims. */
  stop(): Promise<void>;
}

/** Our own containerd: also where its CNI config and registry hosts live. */
export interface OwnContainerd extends ContainerRuntime {
  /** Directory containerd reads CNI network configs from (see writeCniConfig). */
  cniConfDir: string;
  /**
   * Where host-local keeps the node's pod IP allocations: under the data dir, not /var/lib/cni, so a fresh data dir
   * starts with a free pod CIDR (allocations of pods killed without a CNI DEL would otherwise fill it for good).
   */
  cniIpamDir: string;
  /** containerd's registry config_path: one <host:port>/hosts.toml per registry (see allowPlainHttpRegistry). */
  registryHostsDir: string;
  /** containerd's log file. */
  logFile: string;
}

/** Options of startContainerd. */
export interface StartContainerdOptions {
  /** tugboat's data dir; containerd's files go under <dataDir>/containerd. */
  dataDir: string;
  log?: Logger;
  /** When given, the CNI config for this pod CIDR is written before containerd starts. */
  podCIDR?: string;
  /** How long to wait for the socket to answer (default 30 s). */
  readyTimeoutMs?: number;
}

const CNI_BIN_DIRS = ['/usr/lib/cni', '/opt/cni/bin'];

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter)) {
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

function cniBinDir(): string | undefined {
  return CNI_BIN_DIRS.find((d) => existsSync(join(d, 'bridge')));
}

/** undefined when this host can run our own containerd; otherwise a one-line reason why not. */
export function containerdAvailable(): string | undefined {
  if (process.platform !== 'linux') return `containers need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root';
  if (!onPath('containerd')) return 'containerd is not installed';
  if (!onPath('runc')) return 'runc is not installed';
  if (!cniBinDir()) return `CNI plugins are not installed (no bridge plugin in ${CNI_BIN_DIRS.join(' or ')})`;
  return undefined;
}

/** Whether this process may lower oom_score_adj (CAP_SYS_RESOURCE); some sandboxes (e.g. Firecracker jails) drop it. */
export function canLowerOomScore(status = readProcStatus()): boolean {
  const eff = /^CapEff:\s*([0-9a-f]+)/m.exec(status)?.[1];
  return eff !== undefined && (BigInt(`0x${eff}`) & (1n << 24n)) !== 0n;
}

function readProcStatus(): string {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return '';
  }
}

/**
 * Where containerd and runc keep runtime state (state/ and runc/) for the data dir `dataDir`: under /run, as
 * upstream's /run/containerd. It lives only as long as the containers do, and on disk its writes (a bundle per task,
 * runc's state, the sandbox's files) went through the file system's journal: ~25 ms of each pod start here. Keyed by
 * the data dir, so two tugboats never share it. A data dir from before the move keeps its state in
 * <data-dir>/containerd: its running containers' tasks are there.
 */
export function runtimeStateDir(dataDir: string): string {
  const own = join(dataDir, 'containerd');
  if (existsSync(join(own, 'state'))) return own;
  return join('/run/tugboat', createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12));
}

/** containerd's config.toml for its directory `dir` (<data-dir>/containerd) with runtime state under `stateDir` (runtimeStateDir). */
export function containerdConfig(dir: string, cniBin: string, stateDir: string, restrictOomScoreAdj = !canLowerOomScore()): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `# Written by tugboat on every start; edits are overwritten.
version = 2
root = "${dir}/root"
state = "${stateDir}/state"

[grpc]
  address = "${dir}/containerd.sock"

[ttrpc]
  address = "${dir}/containerd.sock.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "${dir}/opt"

[${cri}]
  sandbox_image = "${PAUSE_IMAGE}"
  # exec/attach/port-forward URLs are served on loopback only; the API server relays them
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_unprivileged_ports = true
  enable_unprivileged_icmp = true
  # without CAP_SYS_RESOURCE runc cannot set the sandbox's -998; clamp scores to containerd's own instead of failing
  restrict_oom_score_adj = ${restrictOomScoreAdj}

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[${cri}.containerd.runtimes.runc.options]
  # tugboat manages cgroups with the cgroupfs driver (no systemd here)
  SystemdCgroup = false
  # runc's state of our containers stays under our dir, apart from any other containerd on the host
  Root = "${stateDir}/runc"

[${cri}.cni]
  bin_dir = "${cniBin}"
  conf_dir = "${dir}/cni"

[${cri}.registry]
  config_path = "${dir}/certs.d"
`;
}

/** Lets containerd pull from `host` ("127.0.0.1:5000") over plain HTTP: writes <registryHostsDir>/<host>/hosts.toml. */
export function allowPlainHttpRegistry(registryHostsDir: string, host: string): void {
  const dir = join(registryHostsDir, host);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'hosts.toml'),
    `server = "http://${host}"\n\n[host."http://${host}"]\n  capabilities = ["pull", "resolve", "push"]\n`,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls Version until the runtime at `endpoint` answers, `deadline` passes, or `gaveUp()` says to stop. */
async function waitForVersion(endpoint: string, deadline: number, gaveUp: () => string | undefined): Promise<VersionResponse> {
  const cri = CriClient.connect(endpoint, { timeoutMs: 2000 });
  try {
    for (;;) {
      const why = gaveUp();
      if (why) throw new Error(why);
      if (existsSync(endpoint.replace(/^unix:(\/\/)?/, ''))) {
        try {
          return await cri.version();
        } catch (e) {
          if (Date.now() > deadline) throw new Error(`runtime at ${endpoint} does not answer: ${(e as Error).message}`);
        }
      } else if (Date.now() > deadline) throw new Error(`no runtime socket at ${endpoint}`);
      await sleep(50);
    }
  } finally {
    cri.close();
  }
}

/** Connects to a runtime someone else runs (--container-runtime-endpoint); stop() leaves it running. */
export async function connectRuntime(endpoint: string, timeoutMs = 10_000): Promise<ContainerRuntime> {
  const version = await waitForVersion(endpoint, Date.now() + timeoutMs, () => undefined);
  return { endpoint: endpoint.replace(/^unix:(\/\/)?/, ''), version, stop: async () => {} };
}

function lastLines(file: string, n: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

/** Stops a containerd left running from an earlier tugboat (kill -9) on the same dir, so the new one can take the socket. */
async function stopLeftover(pidFile: string, configFile: string, log: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes(configFile)) return;
  log.info('stopping containerd left by an earlier run', { pid });
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (processAlive(pid) && Date.now() < deadline) await sleep(50);
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

/** Starts containerd with our own config under <dataDir>/containerd and waits until it answers CRI Version. */
export async function startContainerd(opts: StartContainerdOptions): Promise<OwnContainerd> {
  const reason = containerdAvailable();
  if (reason) throw new Error(reason);
  const log = opts.log ?? logger('containerd');
  const dir = join(opts.dataDir, 'containerd');
  const cniConfDir = join(dir, 'cni');
  const cniIpamDir = join(dir, 'cni-ipam');
  const registryHostsDir = join(dir, 'certs.d');
  const configFile = join(dir, 'config.toml');
  const pidFile = join(dir, 'containerd.pid');
  const logFile = join(dir, 'containerd.log');
  const endpoint = join(dir, 'containerd.sock');
  // sockaddr_un holds 108 bytes; containerd would fail later with a less helpful message
  if (Buffer.byteLength(`${endpoint}.ttrpc`) > 107) throw new Error(`data dir path too long for containerd's socket: ${endpoint}`);
  for (const d of [dir, cniConfDir, registryHostsDir]) mkdirSync(d, { recursive: true });
  writeFileSync(configFile, containerdConfig(dir, cniBinDir()!, runtimeStateDir(opts.dataDir)));
  if (opts.podCIDR) writeCniConfig(cniConfDir, opts.podCIDR, { ipamDataDir: cniIpamDir });

  await stopLeftover(pidFile, configFile, log);
  rmSync(endpoint, { force: true });
  const logFd = openSync(logFile, 'a');
  const child = spawn(onPath('containerd')!, ['--config', configFile], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let spawnError: Error | undefined;
  child.on('error', (e) => (spawnError = e));
  writeFileSync(pidFile, `${child.pid}\n`);

  const exited = () => {
    if (spawnError) return `containerd did not start: ${spawnError.message}`;
    if (child.exitCode !== null || child.signalCode !== null) {
      return `containerd exited (${child.exitCode ?? child.signalCode}); last log lines:\n${lastLines(logFile, 5)}`;
    }
    return undefined;
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitExit(child, 10_000))) {
      child.kill('SIGKILL');
      await waitExit(child, 5_000);
    }
    rmSync(pidFile, { force: true });
  };

  let version: VersionResponse;
  try {
    version = await waitForVersion(endpoint, Date.now() + (opts.readyTimeoutMs ?? 30_000), exited);
  } catch (e) {
    await stop();
    throw e;
  }
  log.info('containerd ready', { endpoint, version: version.runtimeVersion, pid: child.pid });
  return { endpoint, version, cniConfDir, cniIpamDir, registryHostsDir, logFile, stop };
}
