// The pod garbage collector against an in-process API server: orphans after the quarantine and a 404, out-of-service nodes, unscheduled terminating pods, the threshold.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import { R } from '../../client/types';
import type { Clock } from '../../util/clock';
import { ManualClock } from '../../util/manual-clock';
import { startTestbed, Testbed, until } from '../testing';
import type { Pod } from '../shared/types';
import { PodGCController } from './controller';
import { GC_CHECK_PERIOD_MS, QUARANTINE_MS } from './decide';
import { apiPodGCPort } from './index';

let tb: Testbed;
let t = Date.parse('2024-05-01T12:00:00Z');
// gc() is called by hand; only the quarantine reads this clock.
const clock: Clock = { now: () => t, setTimeout: () => ({ cancel() {} }) };
const pods = () => tb.client.resource<Pod>(R.pods);
const nodes = () => tb.client.resource<Node & KObject>(R.nodes);

before(async () => {
  tb = await startTestbed();
});
after(() => tb.close());

function collector(threshold = 0, port = apiPodGCPort(tb.client)): PodGCController {
  const podInformer = tb.deps.informers.for<Pod>(R.pods);
  const nodeInformer = tb.deps.informers.for<Node & KObject>(R.nodes);
  return new PodGCController({ podInformer, nodeInformer, port, clock, terminatedPodThreshold: threshold });
}

/** Waits until the shared informers hold `podCount` pods and exactly these nodes. */
async function synced(podCount: number, nodeNames: string[]): Promise<void> {
  const pi = tb.deps.informers.for<Pod>(R.pods);
  const ni = tb.deps.informers.for<Node & KObject>(R.nodes);
  await until('informers caught up', () => pi.list().length === podCount && ni.list().map((n) => n.metadata.name).sort().join() === [...nodeNames].sort().join());
}

const node = (name: string, ready = true, taints: Node['spec'] = {}): Node & KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: taints,
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const pod = (name: string, nodeName?: string, finalizers?: string[]): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(finalizers ? { finalizers } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
});
const exists = (ns: string, name: string) => pods().get(ns, name).then(() => true, () => false);

test('pods of a deleted node are marked Failed with DisruptionTarget and deleted only after the quarantine and a 404', async () => {
  await nodes().create('', node('n1'));
  await nodes().create('', node('n2'));
  await pods().create('default', pod('keep', 'n1'));
  await pods().create('default', pod('orphan', 'n2', ['example.com/hold']));
  await nodes().delete('', 'n2');
  const c = collector();
  await synced(2, ['n1']);
  await c.gc();
  t += QUARANTINE_MS - 1000;
  await c.gc();
  assert.equal((await pods().get('default', 'orphan')).status?.phase, 'Pending', 'still quarantined');
  t += 2000;
  await c.gc();
  const orphan = await pods().get('default', 'orphan');
  assert.equal(orphan.status?.phase, 'Failed');
  const cond = orphan.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
  assert.deepEqual([cond?.status, cond?.reason, cond?.message], ['True', 'DeletionByPodGC', 'PodGC: node no longer exists']);
  assert.ok(orphan.metadata.deletionTimestamp, 'deleted (held by its finalizer)');
  assert.ok(await exists('default', 'keep'));
  await pods().patch('default', 'orphan', 'merge', { metadata: { finalizers: null } });
  await until('orphan gone', async () => !(await exists('default', 'orphan')));
  await pods().delete('default', 'keep', { gracePeriodSeconds: 0 });
  await nodes().delete('', 'n1');
});

test('a node the cache misses but the API server still has keeps its pods', async () => {
  await pods().create('default', pod('lagging', 'late'));
  const base = apiPodGCPort(tb.client);
  const c = collector(0, { ...base, nodeExists: async (name) => name === 'late' || base.nodeExists(name) });
  await synced(1, []);
  await c.gc();
  t += QUARANTINE_MS + 1000;
  await c.gc();
  assert.equal((await pods().get('default', 'lagging')).status?.phase, 'Pending');
  await pods().delete('default', 'lagging', { gracePeriodSeconds: 0 });
});

test('terminating pods go from NotReady out-of-service nodes, not from merely NotReady ones; unscheduled terminating pods go too', async () => {
  await nodes().create('', node('oos', false, { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] }));
  await nodes().create('', node('down', false));
  await pods().create('default', pod('on-oos', 'oos'));
  await pods().create('default', pod('on-down', 'down'));
  await pods().create('default', pod('unscheduled', undefined, ['example.com/hold']));
  for (const name of ['on-oos', 'on-down', 'unscheduled']) await pods().delete('default', name);
  const c = collector();
  await synced(3, ['oos', 'down']);
  await until('deletions seen', () => tb.deps.informers.for<Pod>(R.pods).list().every((p) => p.metadata.deletionTimestamp));
  await c.gc();
  await until('on-oos gone', async () => !(await exists('default', 'on-oos')));
  const onDown = await pods().get('default', 'on-down');
  assert.notEqual(onDown.status?.phase, 'Failed', 'a NotReady node without the taint may still come back');
  assert.equal((await pods().get('default', 'unscheduled')).status?.phase, 'Failed');
  await pods().patch('default', 'unscheduled', 'merge', { metadata: { finalizers: null } });
  await pods().delete('default', 'on-down', { gracePeriodSeconds: 0 });
  await until('cleaned up', async () => (await pods().list('default')).items.length === 0);
});

test('finished pods beyond the threshold are deleted, oldest (then by name) first', async () => {
  for (const name of ['done-a', 'done-b', 'done-c', 'running']) {
    const p = await pods().create('default', pod(name, 'n9'));
    await pods().updateStatus('default', { ...p, status: { ...p.status, phase: name === 'running' ? 'Running' : 'Succeeded' } });
  }
  await nodes().create('', node('n9'));
  const c = collector(1);
  await until('statuses seen', () => tb.deps.informers.for<Pod>(R.pods).list().filter((p) => p.status?.phase === 'Succeeded').length === 3);
  await synced(4, ['oos', 'down', 'n9']);
  await c.gc();
  await until('two finished pods gone', async () => (await pods().list('default')).items.length === 2);
  assert.deepEqual((await pods().list('default')).items.map((p) => p.metadata.name).sort(), ['done-c', 'running']);
});

test('run() collects every gcCheckPeriod: an orphan goes on the first pass after its quarantine', async () => {
  await pods().create('default', pod('looped', 'vanished'));
  const manual = new ManualClock(t);
  const c = new PodGCController({
    podInformer: tb.deps.informers.for<Pod>(R.pods),
    nodeInformer: tb.deps.informers.for<Node & KObject>(R.nodes),
    port: apiPodGCPort(tb.client),
    clock: manual,
    terminatedPodThreshold: 0,
  });
  await until('pod cached', () => !!tb.deps.informers.for<Pod>(R.pods).get('default/looped'));
  const start = manual.now();
  await c.run();
  // Time moves a second per poll; the pod must go on the first pass at or after the end of its quarantine.
  await until('looped collected', async () => {
    manual.advance(1000);
    return !(await exists('default', 'looped'));
  });
  const elapsed = manual.now() - start;
  assert.ok(elapsed >= QUARANTINE_MS && elapsed < QUARANTINE_MS + 2 * GC_CHECK_PERIOD_MS, `collected after ${elapsed} ms`);
  c.stop();
});
