// PodTopologySpread: maxSkew with DoNotSchedule, minDomains, nodeAffinityPolicy, missing labels, and ScheduleAnyway scoring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import { fakeContext, makeNode, nodeInfo, podInfo, runFilter, runScore } from '../testing';
import { podTopologySpread } from './pod-topology-spread';

const app = (name: string) => podInfo(name, {}, {}, { labels: { app: 'web' } });
const spread = (c: Partial<TopologySpreadConstraint>, extra: object = {}) =>
  podInfo('new', {}, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...c }], ...extra }, { labels: { app: 'web' } });

function cluster() {
  const a1 = nodeInfo(makeNode('a1', {}, { zone: 'a' }), [app('w0'), app('w1')]);
  const b1 = nodeInfo(makeNode('b1', {}, { zone: 'b' }), [app('w2')]);
  const c1 = nodeInfo(makeNode('c1', {}, { zone: 'c', pool: 'gpu' }));
  return [a1, b1, c1];
}
const fitting = (pod: ReturnType<typeof podInfo>, nodes: ReturnType<typeof cluster>) => nodes.filter((n) => runFilter(podTopologySpread, fakeContext(nodes), pod, n) === undefined).map((n) => n.name);

test('maxSkew 1 sends the pod to the least loaded zone; maxSkew 2 also allows the next one', () => {
  const nodes = cluster();
  assert.deepEqual(fitting(spread({}), nodes), ['c1']);
  assert.deepEqual(fitting(spread({ maxSkew: 2 }), nodes), ['b1', 'c1']);
  assert.deepEqual(runFilter(podTopologySpread, fakeContext(nodes), spread({}), nodes[0]), {
    code: 'Unschedulable',
    reasons: ["node(s) didn't match pod topology spread constraints"],
    plugin: 'PodTopologySpread',
  });
});

test('nodes without the topology label are unresolvable', () => {
  const nodes = [...cluster(), nodeInfo(makeNode('bare', {}))];
  assert.deepEqual(runFilter(podTopologySpread, fakeContext(nodes), spread({}), nodes[3]), {
    code: 'UnschedulableAndUnresolvable',
    reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"],
    plugin: 'PodTopologySpread',
  });
});

test('nodeAffinityPolicy Honor leaves out domains the pod cannot use; Ignore counts them', () => {
  // Restricted to zones a and b, zone c is not a domain: the skew is measured between a (2) and b (1).
  const onlyAB = { nodeSelector: {}, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } } };
  assert.deepEqual(fitting(spread({}, onlyAB), cluster()), ['b1', 'c1']);
  assert.deepEqual(fitting(spread({ nodeAffinityPolicy: 'Ignore' }, onlyAB), cluster()), ['c1']);
});

test('minDomains: with fewer domains than required the global minimum counts as 0', () => {
  const nodes = cluster().slice(0, 2);
  assert.deepEqual(fitting(spread({ maxSkew: 2 }), nodes), ['a1', 'b1']);
  // Two domains but minDomains 3: min is 0, so zone b (1 + 1 − 0 = 2 ≤ 2) fits and zone a (2 + 1 = 3) does not.
  assert.deepEqual(fitting(spread({ maxSkew: 2, minDomains: 3 }), nodes), ['b1']);
  assert.deepEqual(fitting(spread({ maxSkew: 1, minDomains: 3 }), nodes), []);
});

test('ScheduleAnyway constraints score the emptier domain higher; no constraints means no score', () => {
  const nodes = cluster();
  const scores = runScore(podTopologySpread, fakeContext(nodes), spread({ whenUnsatisfiable: 'ScheduleAnyway' }), nodes)!;
  assert.ok(scores[2] > scores[1] && scores[1] > scores[0], `scores ${scores}`);
  assert.equal(scores[2], 100);
  assert.equal(runScore(podTopologySpread, fakeContext(nodes), app('plain'), nodes), undefined);
});

test('system default spreading applies to pods a controller or service selects', () => {
  const nodes = cluster();
  const scores = runScore(podTopologySpread, fakeContext(nodes, {}, [{ key: 'app', op: 'In', values: ['web'] }]), app('owned'), nodes)!;
  assert.ok(scores[2] > scores[0], `scores ${scores}`);
});
