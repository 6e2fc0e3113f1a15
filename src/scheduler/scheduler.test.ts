// The scheduler against an in-process API server: binding, FailedScheduling, retries on node changes, GPUs, gangs, preemption.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../api/types';
import { R } from '../client/types';
import { makeNode, makePod, SchedulerHarness, startSchedulerHarness } from './testing';

let h: SchedulerHarness;
const nodes = () => h.client.resource(R.nodes);
const pods = () => h.client.resource(R.pods);
const create = (p: Pod) => pods().create('default', p as KObject);
const boundTo = async (name: string) => (await h.pod(name)).spec?.nodeName;
const message = async (name: string, reason: string) => (await h.events(name)).find((e) => e.reason === reason)?.message as string | undefined;

before(async () => {
  h = await startSchedulerHarness();
  for (const n of ['n1', 'n2', 'n3']) await nodes().create('', makeNode(n, { cpu: '2', memory: '4Gi' }) as KObject);
});
after(async () => {
  await h.close();
});

test('pods are bound, with a Scheduled event and PodScheduled=True', async () => {
  for (let i = 0; i < 6; i++) await create(makePod(`web-${i}`, { cpu: '100m', memory: '64Mi' }));
  for (let i = 0; i < 6; i++) await h.until(() => boundTo(`web-${i}`));
  const msg = await h.until(() => message('web-0', 'Scheduled'));
  assert.match(msg, /^Successfully assigned default\/web-0 to n[123]$/);
  const cond = (await h.pod('web-0')).status?.conditions?.find((c) => c.type === 'PodScheduled');
  assert.equal(cond?.status, 'True');
  // Least-allocated scoring spreads six small pods over three empty nodes.
  const placed = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => boundTo(`web-${i}`)));
  assert.equal(new Set(placed).size, 3);
});

test('a pod too big for every node gets FailedScheduling and PodScheduled=False, then fits once a node grows', async () => {
  await create(makePod('big', { cpu: '3' }));
  const msg = await h.until(() => message('big', 'FailedScheduling'));
  assert.equal(msg, '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..');
  const cond = await h.until(async () => (await h.pod('big')).status?.conditions?.find((c) => c.type === 'PodScheduled'));
  assert.equal(cond.status, 'False');
  assert.equal(cond.reason, 'Unschedulable');
  assert.equal(cond.message, msg);
  const n2 = (await nodes().get('', 'n2')) as KObject;
  n2.status.allocatable.cpu = '8';
  await nodes().updateStatus('', n2);
  assert.equal(await h.until(() => boundTo('big'), 5000), 'n2');
});

test('a node selector that matches nothing waits until a node is labelled', async () => {
  await create(makePod('picky', {}, { nodeSelector: { disk: 'ssd' } }));
  const msg = await h.until(() => message('picky', 'FailedScheduling'));
  assert.equal(msg, "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..");
  await nodes().patch('', 'n3', 'merge', { metadata: { labels: { disk: 'ssd' } } });
  assert.equal(await h.until(() => boundTo('picky'), 5000), 'n3');
});

test('a GPU pod lands only on the node with GPUs', async () => {
  await nodes().create('', makeNode('gpu-1', { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '2' }) as KObject);
  await create(makePod('trainer', { 'nvidia.com/gpu': '1' }));
  assert.equal(await h.until(() => boundTo('trainer')), 'gpu-1');
  await create(makePod('trainer-2', { 'nvidia.com/gpu': '2' }));
  const msg = await h.until(() => message('trainer-2', 'FailedScheduling'));
  assert.match(msg, /^0\/4 nodes are available: 4 Insufficient nvidia.com\/gpu\./);
});

test('a gang binds all together only once there is room, without holding anything or blocking other pods', async () => {
  const gang = (i: number) =>
    makePod(`worker-${i}`, { 'example.com/tpu': '1' }, {}, { labels: { 'scheduling.x-k8s.io/pod-group': 'train' }, annotations: { 'scheduling.x-k8s.io/min-member': '3' } });
  await nodes().create('', makeNode('tpu-1', { 'example.com/tpu': '2' }) as KObject);
  for (let i = 0; i < 3; i++) await create(gang(i));
  const msg = await h.until(() => message('worker-0', 'FailedScheduling'));
  assert.match(msg, /Insufficient example.com\/tpu.* coscheduling: pod group "train" cannot be placed all at once \(2 of 3 pods fit\)\.$/);
  // Nothing of the gang is bound, and an ordinary pod asking for the same device still schedules: no deadlock.
  await create(makePod('solo', { 'example.com/tpu': '1' }));
  assert.equal(await h.until(() => boundTo('solo')), 'tpu-1');
  for (let i = 0; i < 3; i++) assert.equal(await boundTo(`worker-${i}`), undefined);
  // A second device node makes room for all three at once.
  await nodes().create('', makeNode('tpu-2', { 'example.com/tpu': '2' }) as KObject);
  await pods().delete('default', 'solo', { gracePeriodSeconds: 0 });
  const placed = await h.until(async () => {
    const all = await Promise.all([0, 1, 2].map((i) => boundTo(`worker-${i}`)));
    return all.every(Boolean) && all;
  }, 8000);
  assert.deepEqual(new Set(placed), new Set(['tpu-1', 'tpu-2']));
});

test('a gang with fewer pods than min-member waits with the coscheduling message', async () => {
  await create(makePod('lonely-0', {}, {}, { labels: { 'scheduling.x-k8s.io/pod-group': 'lonely' }, annotations: { 'scheduling.x-k8s.io/min-member': '2' } }));
  const msg = await h.until(() => message('lonely-0', 'FailedScheduling'));
  assert.match(msg, /^0\/\d+ nodes are available: pre-filter pod lonely-0 cannot find enough sibling pods, current pods number: 1, minMember of group: 2\.$/);
  await create(makePod('lonely-1', {}, {}, { labels: { 'scheduling.x-k8s.io/pod-group': 'lonely' }, annotations: { 'scheduling.x-k8s.io/min-member': '2' } }));
  await h.until(async () => (await boundTo('lonely-0')) && (await boundTo('lonely-1')));
});

test('a high-priority pod preempts a low-priority one: victim marked and deleted, node nominated, then bound', async () => {
  const classes = h.client.resource(R.priorityclasses);
  for (const [name, value] of [['low', 10], ['high', 1000]] as const) await classes.create('', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
  await nodes().create('', makeNode('small', { cpu: '1', memory: '1Gi' }, { pool: 'small' }) as KObject);
  await create(makePod('low', { cpu: '800m' }, { nodeSelector: { pool: 'small' }, priorityClassName: 'low' }));
  assert.equal(await h.until(() => boundTo('low')), 'small');
  await create(makePod('high', { cpu: '800m' }, { nodeSelector: { pool: 'small' }, priorityClassName: 'high' }));
  const victim = await h.until(async () => {
    const p = await pods().get('default', 'low').catch(() => undefined);
    return p?.metadata.deletionTimestamp ? p : undefined;
  });
  assert.equal(victim.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget')?.reason, 'PreemptionByScheduler');
  assert.equal(await h.until(async () => (await h.pod('high')).status?.nominatedNodeName), 'small');
  assert.match((await h.until(() => message('low', 'Preempted'))) ?? '', /^Preempted by pod .+ on node small$/);
  // The victim's kubelet would now finish it; do so, and the preemptor takes its place.
  await pods().delete('default', 'low', { gracePeriodSeconds: 0 });
  assert.equal(await h.until(() => boundTo('high'), 5000), 'small');
});
