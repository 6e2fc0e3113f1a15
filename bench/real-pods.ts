// Real node: create → Running latency of busybox pods through the API against raw `ctr run` of the same image, and tugboat's RSS and idle CPU with 20 pods running.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CriClient } from '../src/cri/client';
import { containerdAvailable } from '../src/kubelet/cri/containerd';
import { removeAllSandboxes, startTestRuntime } from '../src/kubelet/cri/testing';
import { BUSYBOX_IMAGE } from '../src/images/names';
import { RESYNC_MS } from '../src/kubelet/real/pod-worker';
import { configureLog } from '../src/util/log';
import { onLines } from '../src/client/json-lines';
import { apiClient, type ApiClient } from './support/client';
import { cpuMs, rssMiB } from './support/proc';
import { fmt, heading, printMarkdown, printTable, quantile } from './support/stats';
import { startTugboat, type Tugboat } from './support/tugboat';

const PODS = Number(process.env.BENCH_REAL_PODS ?? 20);
const NS = 'bench-real';
const TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = TIMEOUT_MS): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Times one `ctr run --rm IMAGE id true` (create the container, start it, wait for exit, remove it). */
function ctrRun(socket: string, id: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile('ctr', ['-a', socket, '-n', 'k8s.io', 'run', '--rm', BUSYBOX_IMAGE, id, 'true'], { timeout: 60_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`ctr run: ${stderr || err.message}`)) : resolve(performance.now() - started),
    );
  });
}

/**
 * The runtime's own floor for a pod: RunPodSandbox (pause container + CNI) then CreateContainer and StartContainer over
 * CRI, one pod at a time, in a separate containerd (its own bridge, the node's CNI config) so the node's kubelet never
 * sees these sandboxes. Each is timed right after a raw `ctr run` on that containerd, for the floor's own ratio.
 */
async function rawCriPods(n: number): Promise<{ pods: number[]; ctr: number[] }> {
  const rt = await startTestRuntime({ ipMasq: false });
  const times: number[] = [];
  const ctr: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      ctr.push(await ctrRun(rt.runtime.endpoint, `bench-floor-${process.pid}-${i}`));
      const name = `raw-${i}`;
      const logDirectory = join(rt.dataDir, 'pods', 'logs', name);
      mkdirSync(logDirectory, { recursive: true });
      const sandboxConfig = {
        metadata: { name, namespace: 'bench', uid: `uid-${i}`, attempt: 0 },
        hostname: name,
        logDirectory,
        linux: { securityContext: { namespaceOptions: { network: 'POD' as const, pid: 'CONTAINER' as const, ipc: 'POD' as const } } },
      };
      const started = performance.now();
      const { podSandboxId } = await rt.cri.runPodSandbox({ config: sandboxConfig });
      const { containerId } = await rt.cri.createContainer({
        podSandboxId,
        sandboxConfig,
        config: { metadata: { name: 'main', attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command: ['sleep', '3600'], logPath: 'main/0.log' },
      });
      await rt.cri.startContainer({ containerId });
      times.push(performance.now() - started);
    }
  } finally {
    await rt.cleanup();
  }
  return { pods: times, ctr };
}

const podBody = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'main', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
  },
});

/** Pods first seen Running, by name, from one watch of the namespace. */
interface RunningWatch {
  runningAt: Map<string, number>;
  stop(): void;
}

/** Watches the namespace's pods and records when each was first seen Running. */
async function watchRunning(api: ApiClient): Promise<RunningWatch> {
  const runningAt = new Map<string, number>();
  const res = await api.stream(`/api/v1/namespaces/${NS}/pods?watch=1`);
  onLines(res, (line) => {
    const ev = JSON.parse(line);
    const name = ev.object?.metadata?.name;
    if (ev.object?.status?.phase === 'Running' && !runningAt.has(name)) runningAt.set(name, performance.now());
  });
  return { runningAt, stop: () => res.destroy() };
}

/**
 * Creates `names` (all at once when `burst`, else one after another, each waiting for Running); returns each pod's
 * create → Running ms. One watch serves a whole phase: a watch opened per pod would take the idle keep-alive
 * connection and leave the create to pay a TLS handshake, which is the benchmark's cost, not the cluster's.
 */
async function createPods(api: ApiClient, w: RunningWatch, names: string[], burst: boolean): Promise<number[]> {
  const createdAt = new Map<string, number>();
  const create = async (n: string) => {
    createdAt.set(n, performance.now());
    await api.json('POST', `/api/v1/namespaces/${NS}/pods`, podBody(n));
  };
  if (burst) await Promise.all(names.map(create));
  for (const n of names) {
    if (!burst) await create(n);
    await until(`pod ${n} Running`, async () => w.runningAt.has(n));
  }
  return names.map((n) => w.runningAt.get(n)! - createdAt.get(n)!);
}

/** Opens a watch, runs `phase` with it, and stops it. */
async function watching<T>(api: ApiClient, phase: (w: RunningWatch) => Promise<T>): Promise<T> {
  const w = await watchRunning(api);
  try {
    return await phase(w);
  } finally {
    w.stop();
  }
}

/** Deletes every pod of the namespace and waits until the kubelet has removed them. */
async function deleteAll(api: ApiClient): Promise<void> {
  await api.json('DELETE', `/api/v1/namespaces/${NS}/pods`);
  await until('pods deleted', async () => (await api.json('GET', `/api/v1/namespaces/${NS}/pods`)).items.length === 0);
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s[s.length - 1] };
};

async function main(): Promise<void> {
  configureLog({ level: 'warn' });
  heading(`real node: ${PODS} busybox pods, create → Running through the API, against raw ctr run`);
  const why = containerdAvailable();
  if (why) {
    console.log(`skipped: no real node here (${why})`);
    return;
  }
  let t: Tugboat | undefined;
  let socket = '';
  try {
    t = await startTugboat({ readyTimeoutMs: 60_000, realNode: true });
    socket = join(t.dataDir, 'containerd', 'containerd.sock');
    const api = apiClient(t, 32);
    const node = hostname().toLowerCase();
    const startedAt = performance.now();
    await until(`node ${node} Ready`, async () => {
      const n = await api.json('GET', `/api/v1/nodes/${node}`);
      return n.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
    });
    const cri = CriClient.connect(socket);
    await until(`${BUSYBOX_IMAGE} imported`, async () => (await cri.imageStatus({ image: { image: BUSYBOX_IMAGE } })).image);
    cri.close();
    const nodeReadyMs = performance.now() - startedAt + t.spawnToReadyMs;
    await api.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await until('default service account', async () => (await api.send('GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status === 200);

    // The first pod also sets up the bridge and warms caches; it is reported apart.
    const [firstMs] = await watching(api, (w) => createPods(api, w, ['warm-up'], false));
    await deleteAll(api);

    // Each pod is timed right after a raw `ctr run`, so both see the same machine (load, pods already running).
    const raw: number[] = [];
    const serial: number[] = [];
    await watching(api, async (w) => {
      for (let i = 0; i < PODS; i++) {
        raw.push(await ctrRun(socket, `bench-ctr-${process.pid}-${i}`));
        serial.push(...(await createPods(api, w, [`serial-${i}`], false)));
      }
    });
    const rss = rssMiB(t.pid);
    const containerdPid = Number(readFileSync(join(t.dataDir, 'containerd', 'containerd.pid'), 'utf8'));
    const containerdRss = rssMiB(containerdPid);
    // Idle: nothing asked of the cluster for one periodic-sync period, so each pod's periodic sync falls in it once.
    const idleCpu = [cpuMs(t.pid), cpuMs(containerdPid)];
    await sleep(RESYNC_MS);
    const [idleTugboat, idleContainerd] = [cpuMs(t.pid) - idleCpu[0], cpuMs(containerdPid) - idleCpu[1]].map((c) => c / (RESYNC_MS / 1000));
    await deleteAll(api);
    const burstStart = performance.now();
    const burst = await watching(api, (w) => createPods(api, w, Array.from({ length: PODS }, (_, i) => `burst-${i}`), true));
    const burstAllMs = performance.now() - burstStart;
    await deleteAll(api);

    const floor = await rawCriPods(PODS);
    const r = stats(raw);
    const k = stats(floor.pods);
    const fc = stats(floor.ctr);
    const s = stats(serial);
    const b = stats(burst);
    const ms = (n: number) => `${fmt(n)} ms`;
    printTable(
      ['measure', 'p50 ms', 'p99 ms', 'max ms'],
      [
        [`raw ctr run --rm ${BUSYBOX_IMAGE} true (x${PODS})`, fmt(r.p50), fmt(r.p99), fmt(r.max)],
        [`raw CRI pod: RunPodSandbox + Create + StartContainer (x${PODS})`, fmt(k.p50), fmt(k.p99), fmt(k.max)],
        [`pod create → Running, one at a time, each after a ctr run (x${PODS})`, fmt(s.p50), fmt(s.p99), fmt(s.max)],
        [`pod create → Running, ${PODS} at once`, fmt(b.p50), fmt(b.p99), fmt(b.max)],
      ],
    );
    console.log();
    printMarkdown(
      ['figure', 'result', 'goal', 'met'],
      [
        [`pod create → Running p50 / p99 (${PODS} pods, one at a time)`, `${ms(s.p50)} / ${ms(s.p99)}`, 'p99 < 1 s', s.p99 < 1000 ? 'yes' : 'no'],
        [`raw \`ctr run --rm\` p50 / p99, same image, same run`, `${ms(r.p50)} / ${ms(r.p99)}`, '', ''],
        ['ratio pod / raw ctr run, p50 / p99', `${fmt(s.p50 / r.p50, 2)}× / ${fmt(s.p99 / r.p99, 2)}×`, '≤ 1.5×', s.p99 / r.p99 <= 1.5 ? 'yes' : 'no'],
        [`raw CRI pod (sandbox + container, no tugboat) p50 / p99; pod / raw CRI`, `${ms(k.p50)} / ${ms(k.p99)}; ${fmt(s.p50 / k.p50, 2)}× / ${fmt(s.p99 / k.p99, 2)}×`, '', ''],
        ['runtime floor: raw CRI pod / raw ctr run on its containerd, p50 / p99', `${fmt(k.p50 / fc.p50, 2)}× / ${fmt(k.p99 / fc.p99, 2)}×`, '', ''],
        [`${PODS} pods created at once: p50 / p99 / all Running`, `${ms(b.p50)} / ${ms(b.p99)} / ${ms(burstAllMs)}`, '', ''],
        ['first pod after start (bridge setup)', ms(firstMs), '', ''],
        [`tugboat RSS with ${PODS} pods running (containerd's own)`, `${fmt(rss, 1)} MiB (${fmt(containerdRss, 1)} MiB)`, '', ''],
        [`tugboat CPU at idle with ${PODS} pods running, over ${RESYNC_MS / 1000} s (containerd's own)`, `${fmt(idleTugboat, 1)} ms/s (${fmt(idleContainerd, 1)} ms/s)`, '', ''],
        ['spawn → real node Ready with images', ms(nodeReadyMs), '', ''],
      ],
    );
    api.close();
  } finally {
    if (t && socket) await removeAllSandboxes(socket);
    await t?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
