// Deployment benchmark, in process: the whole control plane of `tugboat up --sim-nodes N`; a 1,000-replica Deployment to all-ready, then a rolling update of it.
import { cpus, loadavg } from 'node:os';
import type { KObject } from '../src/api/types';
import { startTestApi } from '../src/apiserver/testing';
import { startControlPlane } from '../src/cli/control-plane';
import { R } from '../src/client/types';
import { realClock } from '../src/util/clock';
import { configureLog } from '../src/util/log';
import { fmt, heading, printMarkdown, printTable } from './support/stats';

const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 1000);
/** Enough sim nodes for the pods (110 each) with room to spare. */
const NODES = Number(process.env.BENCH_NODES ?? Math.max(3, Math.ceil(REPLICAS / 50)));
const TIMEOUT_MS = 5 * 60_000;

const deployment = (image: string): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'big', namespace: 'bench' },
  spec: {
    replicas: REPLICAS,
    selector: { matchLabels: { app: 'big' } },
    template: { metadata: { labels: { app: 'big' } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
  },
});

/** Milestones of one rollout, in ms from its start. */
interface Milestones {
  created?: number;
  bound?: number;
  ready?: number;
  complete?: number;
}

const isReady = (p: KObject) => !!p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
const mb = (bytes: number) => fmt(bytes / 1024 / 1024);
const secs = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${fmt(ms / 1000, 1)} s`);

async function main(): Promise<void> {
  configureLog({ level: 'warn' });
  console.log(
    `deployment benchmark: in process (API server on the memory store, controllers, scheduler, ${NODES} sim nodes), node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)}`,
  );
  const t = await startTestApi();
  const cp = startControlPlane(t.api, { clock: realClock, simNodes: NODES });
  const nodes = t.client.resource(R.nodes);
  const nodesReady = async () => (await nodes.list('')).items.filter((n) => n.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')).length;
  for (const end = Date.now() + 60_000; (await nodesReady()) < NODES; ) {
    if (Date.now() > end) throw new Error(`sim nodes not ready after 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await t.client.resource(R.namespaces).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });

  // Milestones come from our own watches, as a client would see them: pods of the current image, and the Deployment's status.
  let image = '';
  let start = 0;
  let m: Milestones = {};
  let onComplete: () => void = () => undefined;
  const created = new Set<string>();
  const bound = new Set<string>();
  const ready = new Set<string>();
  const podWatch = t.client.resource(R.pods).watch(
    'bench',
    { resourceVersion: '0' },
    (ev) => {
      const p = ev.object;
      if (ev.type === 'DELETED' || p.spec?.containers?.[0]?.image !== image) return;
      const now = performance.now() - start;
      const name = p.metadata.name!;
      created.add(name);
      if (p.spec?.nodeName) bound.add(name);
      if (isReady(p)) ready.add(name);
      if (created.size === REPLICAS) m.created ??= now;
      if (bound.size === REPLICAS) m.bound ??= now;
      if (ready.size === REPLICAS) m.ready ??= now;
    },
    () => undefined,
  );
  const deployWatch = t.client.resource(R.deployments).watch(
    'bench',
    { resourceVersion: '0' },
    (ev) => {
      const d = ev.object;
      const s = d.status ?? {};
      // kubectl rollout status's test of a finished rollout.
      const done =
        d.spec.template.spec.containers[0].image === image &&
        (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
        s.updatedReplicas === REPLICAS &&
        s.replicas === REPLICAS &&
        s.availableReplicas === REPLICAS;
      if (done && m.complete === undefined) {
        m.complete = performance.now() - start;
        onComplete();
      }
    },
    () => undefined,
  );

  async function rollout(img: string, write: () => Promise<unknown>): Promise<Milestones> {
    image = img;
    m = {};
    created.clear();
    bound.clear();
    ready.clear();
    const finished = new Promise<void>((resolve, reject) => {
      onComplete = resolve;
      setTimeout(() => reject(new Error(`rollout to ${img} not complete after ${TIMEOUT_MS / 1000} s (${ready.size}/${REPLICAS} ready)`)), TIMEOUT_MS).unref();
    });
    start = performance.now();
    await write();
    await finished;
    return m;
  }

  const rssStart = process.memoryUsage().rss;
  const first = await rollout('busybox:1', () => t.client.resource(R.deployments).create('bench', deployment('busybox:1')));
  const update = await rollout('busybox:2', () =>
    t.client.resource(R.deployments).patch('bench', 'big', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } } }),
  );
  const rss = process.memoryUsage().rss;
  podWatch.stop();
  deployWatch.stop();
  cp.stop();

  heading(`a ${REPLICAS}-replica Deployment on ${NODES} sim nodes (1 s simulated sandbox start per pod)`);
  const rows = [
    ['create → all pods created', secs(first.created)],
    ['create → all pods bound', secs(first.bound)],
    ['create → all pods ready', secs(first.ready)],
    ['create → rollout complete (all available)', `${secs(first.complete)} (${fmt((REPLICAS * 1000) / (first.complete ?? 1))} pods/s)`],
    ['image update → rollout complete (maxSurge 25%, maxUnavailable 25%)', secs(update.complete)],
    ['RSS before / after both rollouts', `${mb(rssStart)} MB / ${mb(rss)} MB`],
  ];
  printTable(['figure', 'value'], rows);
  console.log('');
  printMarkdown(['figure', 'value'], rows);
  await t.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
