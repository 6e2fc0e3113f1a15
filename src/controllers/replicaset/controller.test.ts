// sync(key) of the ReplicaSet controller against a real in-process API server, with a recording PodControl.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { R } from '../../client/types';
import { StatusError } from '../../machinery/errors';
import { getPodFromTemplate } from '../shared/pod-control';
import type { PodControl } from '../shared/pod-control';
import { readyStatus, startTestbed, until } from '../testing';
import type { Testbed } from '../testing';
import type { Pod, ReplicaSet } from '../shared/types';
import { ReplicaSetController } from './controller';

let t: Testbed;
let c: ReplicaSetController;
const calls: string[] = [];
let failCreates = false;

/** Records calls; creates and deletes really happen so the informers see them. */
const podControl: PodControl = {
  async createPods(namespace: string, template: PodTemplateSpec, owner, ref: OwnerReference) {
    calls.push(`create ${owner.metadata.name}`);
    if (failCreates) throw new StatusError(403, 'Forbidden', 'pods "web-" is forbidden: exceeded quota: q');
    await t.client.resource<Pod>(R.pods).create(namespace, getPodFromTemplate(template, owner, ref));
  },
  async deletePod(namespace: string, name: string) {
    calls.push(`delete ${name}`);
    await t.client.resource(R.pods).delete(namespace, name);
  },
};

before(async () => {
  t = await startTestbed();
  c = new ReplicaSetController({
    replicaSets: t.client.resource<ReplicaSet>(R.replicasets),
    pods: t.client.resource<Pod>(R.pods),
    rsInformer: t.deps.informers.for<ReplicaSet>(R.replicasets),
    podInformer: t.deps.informers.for<Pod>(R.pods),
    podControl,
    clock: t.deps.clock,
  });
  await t.deps.informers.waitForSync();
});
after(async () => {
  c.queue.shutdown();
  await t.close();
});
beforeEach(() => {
  calls.length = 0;
  failCreates = false;
});

const rss = () => t.client.resource<ReplicaSet>(R.replicasets);
const pods = () => t.client.resource<Pod>(R.pods);
const cachedPods = (app: string) => t.deps.informers.for<Pod>(R.pods).list().filter((p) => p.metadata.labels?.app === app);

async function makeRS(name: string, replicas: number): Promise<ReplicaSet> {
  const rs = await rss().create('default', {
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  await until('rs cached', () => !!t.deps.informers.for(R.replicasets).get(`default/${name}`));
  return rs;
}

test('creates the missing pods once; a second sync before they are observed does nothing', async () => {
  await makeRS('web', 3);
  await c.sync('default/web');
  assert.deepEqual(calls, ['create web', 'create web', 'create web']);
  // The creates' watch events may not have arrived: expectations hold the controller back either way.
  await c.sync('default/web');
  assert.equal(calls.length, 3);
  await until('pods cached', () => cachedPods('web').length === 3);
  await c.sync('default/web');
  assert.equal(calls.length, 3);
  const rs = await rss().get('default', 'web');
  assert.deepEqual(rs.status, { replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
  for (const p of cachedPods('web')) assert.match(p.metadata.name!, /^web-[a-z0-9]{5}$/);
});

test('scales down by deleting the least valuable pods and counts ready pods', async () => {
  await makeRS('down', 3);
  await c.sync('default/down');
  await until('pods cached', () => cachedPods('down').length === 3);
  const [p0, p1] = cachedPods('down');
  for (const p of [p0, p1]) await pods().updateStatus('default', { ...p, status: readyStatus(p, Date.now()) });
  await rss().patch('default', 'down', 'merge', { spec: { replicas: 2 } });
  await until('ready and resized in cache', () => {
    const rs = t.deps.informers.for<ReplicaSet>(R.replicasets).get('default/down');
    return rs?.spec.replicas === 2 && cachedPods('down').filter((p) => p.status?.phase === 'Running').length === 2;
  });
  calls.length = 0;
  const notReady = cachedPods('down').find((p) => p.status?.phase !== 'Running')!;
  await c.sync('default/down');
  assert.deepEqual(calls, [`delete ${notReady.metadata.name}`]);
  await until('deletion cached', () => cachedPods('down').length === 2);
  await c.sync('default/down');
  assert.deepEqual((await rss().get('default', 'down')).status, { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 2 });
});

test('adopts a matching orphan and releases a pod whose labels stop matching', async () => {
  await pods().create('default', { metadata: { name: 'orphan', namespace: 'default', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  await until('orphan cached', () => cachedPods('adopt').length === 1);
  const rs = await makeRS('adopt', 1);
  await c.sync('default/adopt');
  assert.deepEqual(calls, []);
  const adopted = await pods().get('default', 'orphan');
  assert.deepEqual(adopted.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'adopt', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  await pods().patch('default', 'orphan', 'merge', { metadata: { labels: { app: 'elsewhere' } } });
  await until('relabel cached', () => cachedPods('elsewhere').length === 1);
  await c.sync('default/adopt');
  assert.deepEqual((await pods().get('default', 'orphan')).metadata.ownerReferences ?? [], []);
  assert.deepEqual(calls, ['create adopt']);
});

test('a failing create stops the slow start early and sets ReplicaFailure; success clears it', async () => {
  await makeRS('quota', 20);
  failCreates = true;
  await assert.rejects(c.sync('default/quota'), /exceeded quota/);
  // Only the first batch (one create) was tried.
  assert.deepEqual(calls, ['create quota']);
  const cond = (await rss().get('default', 'quota')).status!.conditions!;
  assert.equal(cond[0].type, 'ReplicaFailure');
  assert.equal(cond[0].reason, 'FailedCreate');
  assert.equal(cond[0].message, 'pods "web-" is forbidden: exceeded quota: q');
  failCreates = false;
  await until('rs failure cached', () => !!t.deps.informers.for<ReplicaSet>(R.replicasets).get('default/quota')?.status?.conditions);
  await c.sync('default/quota');
  assert.equal((await rss().get('default', 'quota')).status!.conditions, undefined);
});
