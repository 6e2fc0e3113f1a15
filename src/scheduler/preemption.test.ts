// Preemption: victims on a node, budgets, the choice of node, eligibility and the "preemption:" messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { Framework } from './framework';
import { filterPodsWithPDBViolation, pickOneNodeForPreemption, preempt, PreemptionInput, selectVictimsOnNode } from './preemption';
import { schedulePod } from './schedule-pod';
import { fakeContext, makeNode, nodeInfo, podInfo } from './testing';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './types';

const fw = new Framework();
const at = (name: string, cpu: string, priority: number, labels: Record<string, string> = {}, startTime = '2024-01-01T00:00:00Z') => {
  const pi = podInfo(name, { cpu }, { priority }, { labels });
  pi.pod = { ...pi.pod, status: { startTime } };
  return pi;
};

function input(nodes: NodeInfo[], pod: PodInfo, pdbs: PodDisruptionBudget[] = []): PreemptionInput {
  const ctx = fakeContext(nodes);
  const out = schedulePod(pod, { ctx, fw, nominatedPodsFor: () => [], startIndex: 0 });
  if (out.kind !== 'unschedulable') throw new Error(`expected the pod not to fit, got ${out.kind}`);
  return { ctx, fw, pod, state: out.state, diagnosis: out.diagnosis, pdbs, nominatedPodsFor: () => [], now: Date.parse('2024-06-01T00:00:00Z'), random: () => 0 };
}

test('only as many lower-priority pods as needed are victims, the least important first', () => {
  const n = nodeInfo(makeNode('n', { cpu: '4' }), [at('keep', '1', 50), at('low-a', '1', 1), at('low-b', '1', 2), at('peer', '1', 100)]);
  const r = selectVictimsOnNode(input([n], at('p', '1', 100)), n);
  assert.ok(!('code' in r));
  assert.deepEqual(r.victims.map((v) => v.key), ['default/low-a']);
  const two = selectVictimsOnNode(input([n], at('p', '2', 100)), n);
  assert.deepEqual(!('code' in two) && two.victims.map((v) => v.key), ['default/low-b', 'default/low-a']);
  assert.equal(n.pods.length, 4, 'the real node is untouched');
});

test('no lower-priority pods: no victims; still no room without them: the filter reason', () => {
  const n = nodeInfo(makeNode('n', { cpu: '2' }), [at('peer', '2', 100)]);
  const r = selectVictimsOnNode(input([n], at('p', '1', 100)), n);
  assert.deepEqual(r, { code: 'UnschedulableAndUnresolvable', reasons: ['No preemption victims found for incoming pod'], plugin: 'DefaultPreemption' });
  const small = nodeInfo(makeNode('s', { cpu: '1' }), [at('low', '1', 0)]);
  assert.deepEqual((selectVictimsOnNode(input([small], at('p', '2', 100)), small) as { reasons: string[] }).reasons, ['Insufficient cpu']);
});

test('a pod disruption budget with no disruptions left marks its pods as violating', () => {
  const pdb: PodDisruptionBudget = { metadata: { name: 'db', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } };
  const pods = [at('db-0', '1', 0, { app: 'db' }), at('db-1', '1', 0, { app: 'db' }), at('web', '1', 0, { app: 'web' })];
  const r = filterPodsWithPDBViolation(pods, [pdb]);
  assert.deepEqual(r.violating.map((p) => p.key), ['default/db-1']);
  assert.deepEqual(r.nonViolating.map((p) => p.key), ['default/db-0', 'default/web']);
});

test('the node chosen has the fewest budget violations, then the lowest victim priority, then fewest victims', () => {
  const c = (node: string, victims: PodInfo[], numPDBViolations = 0) => ({ node: nodeInfo(makeNode(node, {})), victims, numPDBViolations });
  assert.equal(pickOneNodeForPreemption([c('a', [at('x', '1', 1)], 1), c('b', [at('y', '1', 5)])], 0).node.name, 'b');
  assert.equal(pickOneNodeForPreemption([c('a', [at('x', '1', 5)]), c('b', [at('y', '1', 1), at('z', '1', 1)])], 0).node.name, 'b');
  assert.equal(pickOneNodeForPreemption([c('a', [at('x', '1', 1), at('w', '1', 1)]), c('b', [at('y', '1', 1)])], 0).node.name, 'b');
});

test('preempt picks the cheaper node; with nothing to evict it explains why per node', () => {
  const a = nodeInfo(makeNode('a', { cpu: '2' }), [at('a-low', '2', 1)]);
  const b = nodeInfo(makeNode('b', { cpu: '2' }), [at('b-low1', '1', 1), at('b-low2', '1', 1)]);
  const r = preempt(input([a, b], at('p', '2', 100)), () => undefined);
  assert.ok('node' in r);
  assert.equal(r.node.name, 'a');
  const full = nodeInfo(makeNode('f', { cpu: '1' }), [at('peer', '1', 100)]);
  const picky = nodeInfo(makeNode('g', { cpu: '8' }, {}, { unschedulable: true }));
  const none = preempt(input([full, picky], at('p', '1', 100)), () => undefined);
  assert.deepEqual(none, {
    message: 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    clearNomination: true,
  });
});

test('preemptionPolicy Never is not eligible', () => {
  const n = nodeInfo(makeNode('n', { cpu: '1' }), [at('low', '1', 0)]);
  const pod = podInfo('p', { cpu: '1' }, { priority: 100, preemptionPolicy: 'Never' });
  assert.deepEqual(preempt(input([n], pod), () => undefined), { message: 'preemption: not eligible due to preemptionPolicy=Never.', clearNomination: false });
});
