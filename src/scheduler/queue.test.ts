// The scheduling queue: priority order, backoff 1 s doubling to 10 s, unschedulable pods moved by matching events, gates, nominations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import { ManualClock } from '../util/manual-clock';
import { backoffDuration, isPodUpdated, SchedulingQueue } from './queue';
import { makePod, podInfo } from './testing';


const pod = (name: string, priority = 0, spec: Partial<Pod['spec']> = {}) => makePod(name, {}, { priority, ...spec });

test('activeQ pops higher priority first, then the earlier added', () => {
  const clock = new ManualClock();
  const q = new SchedulingQueue(clock);
  q.add('default/a', pod('a', 0));
  clock.advance(1);
  q.add('default/b', pod('b', 100));
  clock.advance(1);
  q.add('default/c', pod('c', 0));
  assert.deepEqual([q.pop()!.key, q.pop()!.key, q.pop()!.key, q.pop()], ['default/b', 'default/a', 'default/c', undefined]);
});

test('backoff doubles from 1 s and stops at 10 s', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 9].map(backoffDuration), [1000, 2000, 4000, 8000, 10000, 10000]);
});

test('an unschedulable pod moves only on an event from a plugin that rejected it, and waits out its backoff', () => {
  const clock = new ManualClock();
  let ready = 0;
  const q = new SchedulingQueue(clock, () => ready++);
  q.run();
  q.add('default/a', pod('a'));
  const a = q.pop()!;
  q.addUnschedulable(a, new Set(['NodeResourcesFit']));
  assert.deepEqual(q.sizes, { active: 0, backoff: 0, unschedulable: 1, gated: 0 });
  q.moveAllToActiveOrBackoffQueue({ plugins: ['TaintToleration'] });
  assert.equal(q.pop(), undefined);
  assert.equal(q.sizes.unschedulable, 1);
  q.moveAllToActiveOrBackoffQueue({ plugins: ['NodeResourcesFit'] });
  // Still inside its 1 s backoff: it goes to backoffQ, then to activeQ when the backoff flush runs.
  assert.equal(q.pop(), undefined);
  assert.equal(q.sizes.backoff, 1);
  clock.advance(1000);
  assert.equal(q.pop()?.key, 'default/a');
  assert.ok(ready > 0);
  q.close();
});

test('a node-added event (all plugins) moves every unschedulable pod; past the backoff it goes straight to activeQ', () => {
  const clock = new ManualClock();
  const q = new SchedulingQueue(clock);
  q.add('default/a', pod('a'));
  q.addUnschedulable(q.pop()!, new Set(['NodeAffinity']));
  clock.advance(5000);
  q.moveAllToActiveOrBackoffQueue({});
  assert.equal(q.pop()?.key, 'default/a');
});

test('errors go to backoffQ; gang groups move together; pods stuck for 5 minutes are retried', () => {
  const clock = new ManualClock();
  const q = new SchedulingQueue(clock);
  q.run();
  q.add('default/e', pod('e'));
  q.addBackoff(q.pop()!);
  assert.equal(q.sizes.backoff, 1);
  clock.advance(1000);
  assert.equal(q.pop()?.key, 'default/e');
  const member = makePod('g', {}, {}, { labels: { 'scheduling.x-k8s.io/pod-group': 'train' } });
  q.add('default/g', member);
  q.addUnschedulable(q.pop()!, new Set(['Coscheduling']));
  clock.advance(2000);
  q.moveAllToActiveOrBackoffQueue({ groups: ['default/other'] });
  assert.equal(q.pop(), undefined);
  q.moveAllToActiveOrBackoffQueue({ groups: ['default/train'] });
  assert.equal(q.pop()?.key, 'default/g');
  q.add('default/s', pod('s'));
  q.addUnschedulable(q.pop()!, new Set(['NodeAffinity']));
  clock.advance(5 * 60_000 + 30_000);
  assert.equal(q.pop()?.key, 'default/s');
  q.close();
});

test('an update that changes the spec retries an unschedulable pod; a status-only update does not', () => {
  const clock = new ManualClock();
  const q = new SchedulingQueue(clock);
  const p = pod('a');
  q.add('default/a', p);
  q.addUnschedulable(q.pop()!, new Set(['NodeAffinity']));
  clock.advance(2000);
  const statusOnly = { ...p, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } } as Pod;
  assert.equal(isPodUpdated(p, statusOnly), false);
  q.update('default/a', statusOnly);
  assert.equal(q.pop(), undefined);
  const relabelled = { ...p, metadata: { ...p.metadata, labels: { x: 'y' } } } as Pod;
  q.update('default/a', relabelled);
  assert.equal(q.pop()?.key, 'default/a');
});

test('pods with scheduling gates wait until the gates are removed', () => {
  const q = new SchedulingQueue(new ManualClock());
  q.add('default/g', pod('g', 0, { schedulingGates: [{ name: 'wait' }] }));
  assert.equal(q.pop(), undefined);
  assert.equal(q.sizes.gated, 1);
  q.update('default/g', pod('g'));
  assert.equal(q.pop()?.key, 'default/g');
});

test('nominated pods are reported for their node to pods of lower or equal priority only', () => {
  const q = new SchedulingQueue(new ManualClock());
  const high = podInfo('high', { cpu: '1' }, { priority: 100 });
  q.addNominated(high, 'n1');
  assert.deepEqual(q.nominatedPodsFor('n1', 50, 'default/x').map((p) => p.key), ['default/high']);
  assert.deepEqual(q.nominatedPodsFor('n1', 200, 'default/x'), []);
  assert.deepEqual(q.nominatedPodsFor('n1', 100, 'default/high'), []);
  assert.deepEqual(q.nominatedPodsFor('n2', 0, 'default/x'), []);
  q.deleteNominated('default/high');
  assert.equal(q.hasNominatedPods, false);
});

test('events that help no unschedulable pod do not wake the loop', () => {
  let ready = 0;
  const q = new SchedulingQueue(new ManualClock(), () => ready++);
  q.add('default/a', pod('a'));
  q.addUnschedulable(q.pop()!, new Set(['NodeResourcesFit']));
  ready = 0;
  q.moveAllToActiveOrBackoffQueue({ plugins: ['InterPodAffinity'] });
  q.moveAllToActiveOrBackoffQueue({ groups: ['default/g'] });
  assert.equal(ready, 0);
  q.moveAllToActiveOrBackoffQueue({ plugins: ['NodeResourcesFit'] });
  assert.equal(ready, 1);
});
