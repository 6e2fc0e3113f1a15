// The Scheduler class with a recording fake port: which pods it takes, assume-then-bind, and a failed binding undone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import { realClock } from '../util/clock';
import { Scheduler, SchedulerPort } from './scheduler';
import { makeNode, makePod } from './testing';

/** A scheduler over in-memory pods, with a port that records (and can refuse) bindings. */
function harness(refuse = new Set<string>()) {
  const pods = new Map<string, Pod>();
  const binds: [string, string][] = [];
  const statuses: [string, PodCondition | undefined][] = [];
  const events: [string, string, string][] = [];
  const port: SchedulerPort = {
    async bind(pod, node) {
      if (refuse.has(pod.metadata!.name!)) throw new Error(`pod ${pod.metadata!.name} is already assigned to node "elsewhere"`);
      binds.push([pod.metadata!.name!, node]);
    },
    async patchStatus(pod, cond) {
      statuses.push([pod.metadata!.name!, cond]);
    },
    async evict() {},
  };
  const s = new Scheduler({
    port,
    clock: realClock,
    recorder: { event: (obj, _type, reason, message) => events.push([obj.metadata.name!, reason, message]) },
    listers: {
      pod: (key) => pods.get(key),
      groupMembers: () => [],
      namespaceLabels: () => undefined,
      defaultSpreadSelector: () => undefined,
      pdbs: () => [],
    },
  });
  const add = (p: Pod) => {
    pods.set(`${p.metadata!.namespace}/${p.metadata!.name}`, p);
    s.onPodAdd(p);
  };
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return { s, add, binds, statuses, events, settle };
}

test('only unbound, live pods for default-scheduler are scheduled; the Scheduled event follows the binding', async () => {
  const h = harness();
  h.s.onNodeAdd(makeNode('n1', {}));
  h.add(makePod('mine'));
  h.add(makePod('other', {}, { schedulerName: 'my-scheduler' }));
  h.add(makePod('going', {}, {}, { deletionTimestamp: '2024-01-01T00:00:00Z' }));
  h.add(makePod('done', {}, {}, {}));
  h.s.onPodUpdate(makePod('done'), { ...makePod('done'), status: { phase: 'Succeeded' } });
  h.s.start();
  await h.settle();
  assert.deepEqual(h.binds, [['mine', 'n1']]);
  assert.deepEqual(h.events, [['mine', 'Scheduled', 'Successfully assigned default/mine to n1']]);
  assert.equal(h.s.cache.node('n1')!.pods.length, 1, 'the pod is assumed on its node');
  h.s.stop();
});

test('a refused binding is forgotten, reported and retried later', async () => {
  const h = harness(new Set(['contested']));
  h.s.onNodeAdd(makeNode('n1', { cpu: '2' }));
  h.add(makePod('contested', { cpu: '1' }));
  h.s.start();
  await h.settle();
  assert.deepEqual(h.binds, []);
  assert.equal(h.s.cache.node('n1')!.requested.milliCPU, 0, 'the assumed pod was forgotten');
  assert.deepEqual(h.events, [['contested', 'FailedScheduling', 'running Bind plugin "DefaultBinder": pod contested is already assigned to node "elsewhere"']]);
  assert.equal(h.statuses[0][1]?.reason, 'SchedulerError');
  assert.equal(h.s.queue.sizes.backoff, 1);
  h.s.stop();
});

test('assumed pods count at once: two pods that fit only one at a time go to two nodes', async () => {
  const h = harness();
  h.s.onNodeAdd(makeNode('a', { cpu: '1' }));
  h.s.onNodeAdd(makeNode('b', { cpu: '1' }));
  h.add(makePod('p1', { cpu: '1' }));
  h.add(makePod('p2', { cpu: '1' }));
  h.add(makePod('p3', { cpu: '1' }));
  h.s.start();
  await h.settle();
  assert.deepEqual(new Set(h.binds.map((b) => b[1])), new Set(['a', 'b']));
  assert.equal(h.binds.length, 2);
  assert.match(h.events.find((e) => e[1] === 'FailedScheduling')![2], /^0\/2 nodes are available: 2 Insufficient cpu\./);
  h.s.stop();
});
