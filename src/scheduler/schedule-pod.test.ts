// One scheduling attempt: sampling of nodes, the nominated node first, single feasible nodes, and failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Framework, numFeasibleNodesToFind, selectHost } from './framework';
import { fitErrorMessage } from './fit-error';
import { schedulePod } from './schedule-pod';
import { fakeContext, makeNode, nodeInfo, podInfo } from './testing';

const fw = new Framework();

test('numFeasibleNodesToFind follows upstream: all below 100, then 50% − n/125 with a 5% floor', () => {
  assert.equal(numFeasibleNodesToFind(50), 50);
  assert.equal(numFeasibleNodesToFind(1000), 420);
  assert.equal(numFeasibleNodesToFind(5000), 500);
  assert.equal(numFeasibleNodesToFind(20000), 1000);
  assert.equal(numFeasibleNodesToFind(150), 100);
});

test('with many nodes the search stops after enough feasible ones, starting where the last one ended', () => {
  const nodes = Array.from({ length: 1000 }, (_, i) => nodeInfo(makeNode(`n${i}`, {})));
  const out = schedulePod(podInfo('p'), { ctx: fakeContext(nodes), fw, nominatedPodsFor: () => [], startIndex: 990 });
  assert.equal(out.kind, 'scheduled');
  assert.equal((out as { processed: number }).processed, 420);
});

test('the nominated node is tried first and taken when it fits', () => {
  const nodes = [nodeInfo(makeNode('a', {})), nodeInfo(makeNode('b', {}))];
  const pod = podInfo('p');
  pod.pod = { ...pod.pod, status: { nominatedNodeName: 'b' } };
  const out = schedulePod(pod, { ctx: fakeContext(nodes), fw, nominatedPodsFor: () => [], startIndex: 0 });
  assert.equal(out.kind === 'scheduled' && out.node.name, 'b');
});

test('room nominated for a more important pod is not taken', () => {
  const nodes = [nodeInfo(makeNode('a', { cpu: '1' }))];
  const vip = podInfo('vip', { cpu: '1' }, { priority: 100 });
  const out = schedulePod(podInfo('p', { cpu: '1' }), { ctx: fakeContext(nodes), fw, nominatedPodsFor: () => [vip], startIndex: 0 });
  assert.equal(out.kind, 'unschedulable');
});

test('no nodes at all is its own outcome; no fit gives a diagnosis per node', () => {
  assert.equal(schedulePod(podInfo('p'), { ctx: fakeContext([]), fw, nominatedPodsFor: () => [], startIndex: 0 }).kind, 'noNodes');
  const out = schedulePod(podInfo('p', { cpu: '9' }), { ctx: fakeContext([nodeInfo(makeNode('a', {}))]), fw, nominatedPodsFor: () => [], startIndex: 0 });
  assert.ok(out.kind === 'unschedulable');
  assert.deepEqual([...out.diagnosis.unschedulablePlugins], ['NodeResourcesFit']);
  assert.deepEqual(out.diagnosis.nodeToStatus.get('a')?.reasons, ['Insufficient cpu']);
});

test('selectHost takes the best score and breaks ties at random', () => {
  const nodes = ['a', 'b', 'c'].map((n) => nodeInfo(makeNode(n, {})));
  assert.equal(selectHost(nodes, [1, 5, 3]).name, 'b');
  assert.equal(selectHost(nodes, [5, 5, 1], () => 0).name, 'b');
  assert.equal(selectHost(nodes, [5, 5, 1], () => 0.99).name, 'a');
});

test("a pod pinned by matchFields (a DaemonSet's) filters only its node; the others didn't satisfy NodeAffinity", () => {
  const nodes = ['a', 'b', 'c'].map((n) => nodeInfo(makeNode(n, { cpu: '1' })));
  const pinned = (cpu: string, names: string[]) =>
    podInfo('ds', { cpu }, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: names }] }] } } } });
  const ok = schedulePod(pinned('100m', ['b']), { ctx: fakeContext(nodes), fw, nominatedPodsFor: () => [], startIndex: 0 });
  assert.equal(ok.kind === 'scheduled' && ok.node.name, 'b');
  assert.equal((ok as { processed: number }).processed, 1);
  const full = schedulePod(pinned('2', ['b']), { ctx: fakeContext(nodes), fw, nominatedPodsFor: () => [], startIndex: 0 });
  assert.ok(full.kind === 'unschedulable');
  assert.equal(fitErrorMessage(full.numAllNodes, full.diagnosis), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  const gone = schedulePod(pinned('100m', ['zz']), { ctx: fakeContext(nodes), fw, nominatedPodsFor: () => [], startIndex: 0 });
  assert.ok(gone.kind === 'unschedulable');
  assert.equal(fitErrorMessage(gone.numAllNodes, gone.diagnosis), "0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity].");
});
