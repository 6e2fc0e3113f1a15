// Test support for the real node: a tugboat with containerd, pod polling through the API, kubectl in the background, cleanup.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CriClient } from '../../src/cri/client';
import { containerdAvailable } from '../../src/kubelet/cri/containerd';
import { removeAllSandboxes, removeDataDir } from '../../src/kubelet/cri/testing';
import { processAlive } from '../../src/util/process';
import { startCluster, type TestCluster } from './cluster';
import { raw } from './http';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The busybox image tugboat imports into its containerd at start (built from the host's busybox-static). */
export const BUSYBOX = 'tugboat.local/busybox:1';
/** The same image with User 65534. */
export const BUSYBOX_NONROOT = 'tugboat.local/busybox-nonroot:1';

/** A busybox container running `script` with sh, as every real-node suite builds its pods. */
export function sh(name: string, script: string, extra: object = {}): object {
  return { name, image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...extra };
}

/** Only one real-node cluster runs at a time on a host: they share the cni0 bridge, host-local state and iptables. */
const LOCK_DIR = join(tmpdir(), 'tugboat-real-node-e2e.lock');

/** Why real-node tests cannot run here (they then skip with this reason), or undefined when they can. */
export function realNodeSkipReason(): string | undefined {
  const why = containerdAvailable();
  if (why) return `needs a real node (root with containerd): ${why}`;
  if (!existsSync('/bin/busybox')) return 'needs busybox-static (/bin/busybox) to build the test images';
  return undefined;
}

/** A cluster with a real node. */
export interface RealCluster extends TestCluster {
  /** The real node's name (the host name, lowercased). */
  node: string;
  /** The node's containerd socket (tugboat's own containerd under the data dir). */
  criEndpoint: string;
  /** What tugboat wrote to stderr, plus the last lines of containerd's log: attached to failures. */
  logs(): string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes the host-wide real-node lock (a directory holding the owner's pid), waiting while a live process holds it. */
async function lock(): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      return () => rmSync(LOCK_DIR, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = 0;
      try {
        owner = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
      } catch {
        // the owner is between mkdir and writing its pid
      }
      if (owner && !processAlive(owner)) rmSync(LOCK_DIR, { recursive: true, force: true });
      else await sleep(200);
    }
  }
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Starts `tugboat up` with its real node and waits until that node is Ready (it then also has the test images). */
export async function startRealCluster(): Promise<RealCluster> {
  const unlock = await lock();
  const dataDir = mkdtempSync(join(tmpdir(), 'tugboat-real-e2e-'));
  let c: TestCluster;
  try {
    c = await startCluster([], dataDir, { realNode: true });
  } catch (e) {
    removeDataDir(dataDir);
    unlock();
    throw e;
  }
  // tugboat reports the real node's fate ("real node … ready" / "no real node: …") on stdout, after its ready line.
  let stderr = '';
  let stdout = '';
  c.proc.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-200_000)));
  c.proc.stdout!.on('data', (d) => (stdout = (stdout + d).slice(-20_000)));
  const node = hostname().toLowerCase();
  const criEndpoint = join(dataDir, 'containerd', 'containerd.sock');
  const logs = () => {
    let containerd = '';
    try {
      containerd = tail(readFileSync(join(dataDir, 'containerd', 'containerd.log'), 'utf8'), 15);
    } catch {
      // containerd never started
    }
    return `--- tugboat stdout ---\n${tail(stdout, 5)}\n--- tugboat stderr (last lines) ---\n${tail(stderr, 40)}\n--- containerd.log (last lines) ---\n${containerd}`;
  };
  const rc: RealCluster = {
    ...c,
    node,
    criEndpoint,
    logs,
    async stop() {
      try {
        await removeAllPods(rc);
      } finally {
        await c.stop();
        removeDataDir(dataDir);
        unlock();
      }
    },
  };
  try {
    await until(
      `node ${node} Ready`,
      async () => {
        const r = await raw(rc, 'GET', `/api/v1/nodes/${node}`);
        return r.status === 200 && r.json.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True');
      },
      90_000,
      logs,
    );
    const cri = CriClient.connect(criEndpoint);
    try {
      await until(`image ${BUSYBOX} in the node's containerd`, async () => (await cri.imageStatus({ image: { image: BUSYBOX } })).image, 60_000, logs);
    } finally {
      cri.close();
    }
  } catch (e) {
    await rc.stop();
    throw e;
  }
  return rc;
}

/**
 * Deletes every pod the tests left (force, so the kubelet does not restart them), then removes whatever sandboxes the
 * runtime still has: containers outlive tugboat in their shims, so a test run must not leave any behind.
 */
async function removeAllPods(c: RealCluster): Promise<void> {
  if (c.proc.exitCode !== null) return;
  c.kubectl(['delete', 'pods', '--all', '--all-namespaces', '--grace-period=0', '--force', '--wait=false']);
  // The kubelet gets a moment to clean up on its own; whatever is left is swept.
  if (existsSync(c.criEndpoint)) await removeAllSandboxes(c.criEndpoint, 10_000);
}

/**
 * Polls `cond` (every 200 ms) until it returns a truthy value, which is returned; on timeout the error names `what`,
 * the last value seen and the cluster's logs.
 */
export async function until<T>(what: string, cond: () => T | Promise<T>, timeoutMs = 30_000, logs?: () => string): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await cond();
      if (last) return last as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last: ${seen})${logs ? `\n${logs()}` : ''}`);
    }
    await sleep(200);
  }
}

/** The pod as the API has it, or undefined when it does not exist. */
export async function getPod(c: TestCluster, ns: string, name: string): Promise<any | undefined> {
  const r = await raw(c, 'GET', `/api/v1/namespaces/${ns}/pods/${name}`);
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new Error(`GET pod ${ns}/${name}: ${r.status} ${r.text}`);
  return r.json;
}

/** The events about one object, oldest first, as "Reason: message" lines. */
export async function eventsFor(c: TestCluster, ns: string, name: string): Promise<string[]> {
  const r = await raw(c, 'GET', `/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name=${name}`);
  const items: any[] = r.json?.items ?? [];
  const time = (e: any) => e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '';
  return items.sort((a, b) => time(a).localeCompare(time(b))).map((e) => `${e.reason}: ${e.message}`);
}

/** Waits until the pod satisfies `pred`; a timeout reports the pod's status, its events and the cluster's logs. */
export async function waitPod(c: RealCluster, ns: string, name: string, what: string, pred: (pod: any) => boolean, timeoutMs = 30_000): Promise<any> {
  let last: any;
  try {
    return await until(
      `pod ${ns}/${name}: ${what}`,
      async () => {
        last = await getPod(c, ns, name);
        return last && pred(last) ? last : undefined;
      },
      timeoutMs,
    );
  } catch {
    const events = await eventsFor(c, ns, name).catch(() => []);
    throw new Error(
      `timed out after ${timeoutMs / 1000} s waiting for pod ${ns}/${name}: ${what}\n` +
        `status: ${JSON.stringify(last?.status ?? 'pod not found')}\nevents:\n  ${events.join('\n  ')}\n${c.logs()}`,
    );
  }
}

/** The status of container `name` (app, init or sidecar) in `pod`. */
export function containerStatus(pod: any, name: string): any | undefined {
  const all = [...(pod?.status?.containerStatuses ?? []), ...(pod?.status?.initContainerStatuses ?? [])];
  return all.find((s: any) => s.name === name);
}

/** Whether the pod's condition `type` is True. */
export function hasCondition(pod: any, type: string): boolean {
  return pod?.status?.conditions?.some((x: any) => x.type === type && x.status === 'True') ?? false;
}

/** Pod is Running with every container ready. */
export const runningAndReady = (pod: any) => pod.status?.phase === 'Running' && hasCondition(pod, 'Ready');

/** Creates a namespace and waits for its default ServiceAccount (pod admission needs it). */
export async function createNamespace(c: RealCluster, ns: string): Promise<void> {
  c.k(['create', 'namespace', ns]);
  await until(`serviceaccount ${ns}/default`, async () => (await raw(c, 'GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200);
}

/** A kubectl run in the background (logs -f, port-forward, get -w, attach). */
export interface BackgroundKubectl {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once kubectl exits. */
  exited: Promise<number | string>;
  /** Stops kubectl (SIGTERM) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts kubectl against the cluster without waiting for it. With `openStdin` its stdin is a pipe the test writes to (as a user
 * types); otherwise /dev/null, which an interactive command (attach -i) reads as an immediate end of input.
 */
export function kubectlBackground(c: TestCluster, args: string[], { openStdin = false } = {}): BackgroundKubectl {
  const proc = spawn('kubectl', args, {
    env: { ...process.env, KUBECONFIG: c.kubeconfig, HOME: c.dataDir },
    stdio: [openStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** A temp dir on the host for hostPath volumes, removed by the returned function. */
export function hostDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `tugboat-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** `kubectl apply` of several objects at once (a stream of JSON documents). */
export function applyAll(c: TestCluster, objects: object[]): string {
  return c.k(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
}

/** Watches the pods of `ns` through the API, calling `onPod` with every version seen; returns a function that stops. */
export async function watchPods(c: TestCluster, ns: string, onPod: (pod: any) => void): Promise<() => void> {
  const pki = join(c.dataDir, 'pki');
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    request(
      new URL(`/api/v1/namespaces/${ns}/pods?watch=1`, c.server),
      { ca: readFileSync(join(pki, 'ca.crt')), cert: readFileSync(join(pki, 'admin.crt')), key: readFileSync(join(pki, 'admin.key')) },
      resolve,
    )
      .on('error', reject)
      .end();
  });
  let buf = '';
  res.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim()) onPod(JSON.parse(line).object);
    }
  });
  res.on('error', () => undefined);
  return () => res.destroy();
}

/** A Pod manifest builder for namespace `ns`; each pod's spec starts from `defaults` (e.g. a short grace period). */
export function podsIn(ns: string, defaults: object = {}): (name: string, spec: object, labels?: Record<string, string>) => object {
  return (name, spec, labels) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, ...(labels && { labels }) }, spec: { ...defaults, ...spec } });
}

/** A cluster with a real node and namespace `ns` holding `objects`, applied at once so their pods start in parallel. */
export async function startRealClusterWith(ns: string, objects: object[]): Promise<RealCluster> {
  const c = await startRealCluster();
  await createNamespace(c, ns);
  applyAll(c, objects);
  return c;
}
