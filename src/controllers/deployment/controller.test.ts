// The Deployment and ReplicaSet controllers together on an in-process API server, with a stand-in kubelet making pods ready.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/types';
import { startReplicaSetController } from '../replicaset';
import { simulateReadyPods, startTestbed, until } from '../testing';
import type { Testbed } from '../testing';
import type { Deployment, Pod, ReplicaSet } from '../shared/types';
import type { Controller } from '../types';
import { computeHash } from '../shared/hash';
import { startDeploymentController } from '.';

let t: Testbed;
let running: Controller[];
let kubelet: { stop(): void };
// Pods of images listed here never become ready (a broken rollout).
const broken = new Set<string>();

before(async () => {
  t = await startTestbed();
  running = [startDeploymentController(t.deps), startReplicaSetController(t.deps)];
  kubelet = simulateReadyPods(t.client, undefined, (p) => !broken.has(p.spec.containers[0].image ?? ''));
});
after(async () => {
  kubelet.stop();
  for (const c of running) c.stop();
  await t.close();
});

const deployments = () => t.client.resource<Deployment>(R.deployments);
const rss = () => t.client.resource<ReplicaSet>(R.replicasets);
const pods = () => t.client.resource<Pod>(R.pods);

function deployment(name: string, image: string, replicas: number, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...extra,
    },
  };
}

const get = (name: string) => deployments().get('default', name);
const ownedRSs = async (d: Deployment) => (await rss().list('default')).items.filter((rs) => rs.metadata.ownerReferences?.[0]?.uid === d.metadata.uid);
const livePods = async (app: string) => (await pods().list('default', { labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);

/** kubectl rollout status's test of a finished rollout (of the latest spec: a write of it raises the generation first). */
async function rolledOut(name: string): Promise<boolean> {
  const d = await get(name);
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === d.spec.replicas &&
    (s.replicas ?? 0) === (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) === (s.updatedReplicas ?? 0)
  );
}

const setImage = async (name: string, image: string) =>
  deployments().patch('default', name, 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });

test('a new Deployment gets one ReplicaSet "<name>-<hash>", revision 1, ready pods and complete status', async () => {
  await deployments().create('default', deployment('web', 'nginx:1', 3));
  await until('web rolled out', () => rolledOut('web'));
  const d = await get('web');
  const [rs] = await ownedRSs(d);
  const hash = rs.metadata.labels!['pod-template-hash'];
  assert.equal(rs.metadata.name, `web-${hash}`);
  assert.equal(rs.spec.selector.matchLabels!['pod-template-hash'], hash);
  assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
  assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '3');
  assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '4');
  assert.equal(rs.metadata.ownerReferences![0].controller, true);
  assert.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
  const ps = await livePods('web');
  assert.equal(ps.length, 3);
  for (const p of ps) {
    assert.match(p.metadata.name!, new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
    assert.equal(p.metadata.ownerReferences![0].name, rs.metadata.name);
  }
  assert.deepEqual(
    { replicas: d.status!.replicas, updated: d.status!.updatedReplicas, ready: d.status!.readyReplicas, available: d.status!.availableReplicas },
    { replicas: 3, updated: 3, ready: 3, available: 3 },
  );
  const cond = (type: string) => d.status!.conditions!.find((c) => c.type === type)!;
  assert.equal(cond('Available').reason, 'MinimumReplicasAvailable');
  assert.equal(cond('Progressing').reason, 'NewReplicaSetAvailable');
  assert.equal(cond('Progressing').message, `ReplicaSet "web-${hash}" has successfully progressed.`);
  const events = (await t.client.resource(R.events).list('default')).items;
  assert.ok(events.some((e) => e.reason === 'ScalingReplicaSet' && e.message === `Scaled up replica set web-${hash} from 0 to 3`));
  assert.ok(events.some((e) => e.reason === 'SuccessfulCreate' && /^Created pod: web-/.test(e.message)));
});

test('an image change rolls out a new ReplicaSet (revision 2); reapplying the old template reuses the old one (revision 3, history 1)', async () => {
  await deployments().create('default', deployment('roll', 'nginx:1', 4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
  await until('roll rolled out', () => rolledOut('roll'));
  const v1 = (await ownedRSs(await get('roll')))[0];
  await setImage('roll', 'nginx:2');
  await until('roll rolled out to nginx:2', () => rolledOut('roll'));
  let d = await get('roll');
  const byRev = async () => Object.fromEntries((await ownedRSs(d)).map((rs) => [rs.metadata.annotations!['deployment.kubernetes.io/revision'], rs]));
  let revs = await byRev();
  assert.deepEqual(Object.keys(revs).sort(), ['1', '2']);
  assert.equal(revs['1'].metadata.name, v1.metadata.name);
  assert.equal(revs['1'].spec.replicas, 0);
  assert.equal(revs['2'].spec.replicas, 4);
  assert.equal((await livePods('roll')).filter((p) => p.spec.containers[0].image === 'nginx:2').length, 4);
  // What `kubectl rollout undo` does: put revision 1's template back.
  const template = structuredClone(revs['1'].spec.template!);
  delete template.metadata!.labels!['pod-template-hash'];
  await deployments().patch('default', 'roll', 'json', [{ op: 'replace', path: '/spec/template', value: template }]);
  await until('roll rolled back', () => rolledOut('roll'));
  d = await get('roll');
  revs = await byRev();
  assert.deepEqual(Object.keys(revs).sort(), ['2', '3']);
  assert.equal(revs['3'].metadata.name, v1.metadata.name);
  assert.equal(revs['3'].metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
  assert.equal(revs['3'].spec.replicas, 4);
  assert.equal(revs['2'].spec.replicas, 0);
});

test('a rollout that never becomes ready stays within maxSurge and maxUnavailable, and a resize is spread proportionally', async () => {
  broken.add('nginx:broken');
  await deployments().create('default', deployment('stuck', 'nginx:1', 3, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
  await until('stuck rolled out', () => rolledOut('stuck'));
  await setImage('stuck', 'nginx:broken');
  const sizes = async () => {
    const d = await get('stuck');
    return Object.fromEntries((await ownedRSs(d)).map((rs) => [rs.spec.template!.spec!.containers[0].image, rs.spec.replicas]));
  };
  await until('the surge pod', async () => (await sizes())['nginx:broken'] === 1);
  // Nothing more happens: the surge pod never becomes available, so no old pod may go.
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(await sizes(), { 'nginx:1': 3, 'nginx:broken': 1 });
  const s = (await get('stuck')).status!;
  assert.deepEqual([s.replicas, s.updatedReplicas, s.availableReplicas, s.unavailableReplicas], [4, 1, 3, 1]);
  // 6 replicas + 1 surge = 7 allowed, 3 to add: 3*7/4 → 5 old, 1*7/4 → 2 new.
  await deployments().patch('default', 'stuck', 'merge', { spec: { replicas: 6 } });
  await until('proportional scale', async () => JSON.stringify(await sizes()) === JSON.stringify({ 'nginx:1': 5, 'nginx:broken': 2 }));
  const events = (await t.client.resource(R.events).list('default')).items.filter((e) => e.involvedObject.name === 'stuck').map((e) => e.message);
  assert.ok(events.some((m) => /^Scaled up replica set stuck-\w+ from 3 to 5$/.test(m)), events.join('\n'));
});

test('a paused Deployment does not roll out; resuming does, and the Progressing condition says so', async () => {
  await deployments().create('default', deployment('paused', 'nginx:1', 2));
  await until('paused rolled out', () => rolledOut('paused'));
  await deployments().patch('default', 'paused', 'merge', { spec: { paused: true } });
  await until('DeploymentPaused', async () => (await get('paused')).status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'DeploymentPaused');
  await setImage('paused', 'nginx:2');
  await until('paused observed', async () => {
    const d = await get('paused');
    return (d.status?.observedGeneration ?? 0) >= d.metadata.generation!;
  });
  assert.equal((await ownedRSs(await get('paused'))).length, 1);
  await deployments().patch('default', 'paused', 'merge', { spec: { paused: false } });
  await until('resumed rollout', async () => (await rolledOut('paused')) && (await ownedRSs(await get('paused'))).length === 2);
});

test('Recreate scales the old ReplicaSet to zero before the new one gets any pod', async () => {
  await deployments().create('default', deployment('re', 'nginx:1', 2, { strategy: { type: 'Recreate' } }));
  await until('re rolled out', () => rolledOut('re'));
  const seen: string[] = [];
  const w = pods().watch('default', { labelSelector: 'app=re' }, (ev) => seen.push(`${ev.type} ${ev.object.spec.containers[0].image}`), () => undefined);
  await setImage('re', 'nginx:2');
  await until('re rolled out to nginx:2', () => rolledOut('re'));
  w.stop();
  const firstNew = seen.findIndex((s) => s === 'ADDED nginx:2');
  const lastOldDelete = seen.map((s, i) => (s === 'DELETED nginx:1' ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
  assert.ok(firstNew > lastOldDelete && lastOldDelete >= 0, seen.join('\n'));
});

test('old ReplicaSets beyond revisionHistoryLimit are deleted', async () => {
  await deployments().create('default', deployment('hist', 'nginx:1', 1, { revisionHistoryLimit: 1 }));
  await until('hist rolled out', () => rolledOut('hist'));
  for (const v of ['2', '3']) {
    await setImage('hist', `nginx:${v}`);
    await until(`hist at ${v}`, () => rolledOut('hist'));
  }
  await until('cleanup', async () => (await ownedRSs(await get('hist'))).length === 2);
  const revs = (await ownedRSs(await get('hist'))).map((rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision']).sort();
  assert.deepEqual(revs, ['2', '3']);
});

test('no progress within progressDeadlineSeconds sets Progressing=False ProgressDeadlineExceeded', async () => {
  await deployments().create('default', deployment('late', 'nginx:broken', 1, { progressDeadlineSeconds: 1 }));
  await until(
    'ProgressDeadlineExceeded',
    async () => (await get('late')).status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'ProgressDeadlineExceeded',
    6000,
  );
  const cond = (await get('late')).status!.conditions!.find((c) => c.type === 'Progressing')!;
  assert.equal(cond.status, 'False');
  assert.match(cond.message!, /^ReplicaSet "late-\w+" has timed out progressing\.$/);
});

test('with minReadySeconds, pods count as available only that long after turning ready', async () => {
  await deployments().create('default', deployment('slow', 'nginx:1', 2, { minReadySeconds: 2 }));
  let sawReadyNotAvailable = false;
  await until(
    'slow rolled out',
    async () => {
      const s = (await get('slow')).status ?? {};
      if (s.readyReplicas === 2 && !s.availableReplicas) sawReadyNotAvailable = true;
      return rolledOut('slow');
    },
    8000,
  );
  assert.ok(sawReadyNotAvailable);
  assert.equal((await ownedRSs(await get('slow')))[0].spec.minReadySeconds, 2);
});

test('a name taken by a ReplicaSet of another template is a hash collision: collisionCount goes up and another name is used', async () => {
  await deployments().create('default', deployment('coll', 'nginx:1', 1, { paused: true }));
  const d = await get('coll');
  const taken = `coll-${computeHash(d.spec.template)}`;
  await rss().create('default', {
    metadata: { name: taken, namespace: 'default', labels: { other: 'x' } },
    spec: { replicas: 0, selector: { matchLabels: { other: 'x' } }, template: { metadata: { labels: { other: 'x' } }, spec: { containers: [{ name: 'c', image: 'other' }] } } },
  });
  await deployments().patch('default', 'coll', 'merge', { spec: { paused: false } });
  await until('coll rolled out', () => rolledOut('coll'));
  const after = await get('coll');
  assert.equal(after.status!.collisionCount, 1);
  const [rs] = await ownedRSs(after);
  assert.equal(rs.metadata.name, `coll-${computeHash(d.spec.template, 1)}`);
});

test('status writes (revision annotation included) leave the generation alone', async () => {
  await deployments().create('default', deployment('gen', 'nginx:1', 1));
  await until('gen rolled out', () => rolledOut('gen'));
  assert.equal((await get('gen')).metadata.generation, 1);
});
