// Gang helpers: group keys, min-member, and the all-or-nothing simulation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minMemberOf, podGroupKey, simulateGang } from './gang';
import { makePod } from './testing';

test('the group comes from the pod-group label; min-member from the annotation or label', () => {
  const p = makePod('w', {}, {}, { labels: { 'scheduling.x-k8s.io/pod-group': 'train' }, annotations: { 'scheduling.x-k8s.io/min-member': '4' } });
  assert.equal(podGroupKey(p), 'default/train');
  assert.equal(minMemberOf(p), 4);
  assert.equal(minMemberOf(makePod('l', {}, {}, { labels: { 'scheduling.x-k8s.io/min-member': '2' } })), 2);
  assert.equal(minMemberOf(makePod('bad', {}, {}, { annotations: { 'scheduling.x-k8s.io/min-member': 'two' } })), 1);
  assert.equal(podGroupKey(makePod('solo')), undefined);
});

test('the simulation keeps placements only when enough members fit, and undoes them otherwise', () => {
  const free = { n: 2 };
  const undone: string[] = [];
  const tryPlace = (m: string) => (free.n > 0 ? (free.n--, { node: 'n1' }) : { failure: `no room for ${m}` });
  const undo = (m: string) => {
    undone.push(m);
    free.n++;
  };
  const fail = simulateGang(['a', 'b', 'c'], 3, tryPlace, undo);
  assert.equal(fail.ok, false);
  assert.deepEqual(undone, ['a', 'b']);
  assert.equal(free.n, 2, 'nothing is held after a failed simulation');
  assert.deepEqual(fail.failed, [{ member: 'c', failure: 'no room for c' }]);
  free.n = 3;
  const ok = simulateGang(['a', 'b', 'c'], 3, tryPlace, undo);
  assert.equal(ok.ok, true);
  assert.deepEqual(ok.placed.map((p) => p.member), ['a', 'b', 'c']);
});

test('the simulation stops early once the rest cannot make up min-member', () => {
  let tries = 0;
  const plan = simulateGang(['a', 'b', 'c', 'd'], 4, () => (tries++, { failure: 'x' }), () => {});
  assert.equal(plan.ok, false);
  assert.equal(tries, 1);
});
