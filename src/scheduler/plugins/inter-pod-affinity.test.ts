// InterPodAffinity: required affinity and anti-affinity (own and existing pods'), topology keys, namespaces, preferred scoring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodAffinityTerm } from 'kubernetes-types/core/v1';
import { fakeContext, makeNode, nodeInfo, podInfo, runFilter, runScore } from '../testing';
import { interPodAffinity } from './inter-pod-affinity';

const term = (app: string, topologyKey = 'kubernetes.io/hostname', extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({ labelSelector: { matchLabels: { app } }, topologyKey, ...extra });
const labelled = (name: string, app: string, ns = 'default') => podInfo(name, {}, {}, { labels: { app }, namespace: ns });
const withAffinity = (name: string, app: string, affinity: object) => podInfo(name, {}, { affinity }, { labels: { app } });

function cluster() {
  const n1 = nodeInfo(makeNode('n1', {}, { zone: 'a' }), [labelled('db-0', 'db')]);
  const n2 = nodeInfo(makeNode('n2', {}, { zone: 'a' }));
  const n3 = nodeInfo(makeNode('n3', {}, { zone: 'b' }));
  return { n1, n2, n3, nodes: [n1, n2, n3] };
}
const fitting = (pod: ReturnType<typeof podInfo>, nodes: ReturnType<typeof cluster>['nodes'], ns: Record<string, Record<string, string>> = {}) =>
  nodes.filter((n) => runFilter(interPodAffinity, fakeContext(nodes, ns), pod, n) === undefined).map((n) => n.name);

test('required affinity: only nodes whose topology domain holds a matching pod', () => {
  const { nodes } = cluster();
  assert.deepEqual(fitting(withAffinity('web', 'web', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } }), nodes), ['n1']);
  assert.deepEqual(fitting(withAffinity('web', 'web', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'zone')] } }), nodes), ['n1', 'n2']);
  const none = withAffinity('web', 'web', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache')] } });
  assert.deepEqual(runFilter(interPodAffinity, fakeContext(nodes), none, nodes[0]), { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match pod affinity rules"], plugin: 'InterPodAffinity' });
});

test('the first pod of a self-affine group may go anywhere', () => {
  const { nodes } = cluster();
  assert.deepEqual(fitting(withAffinity('c-0', 'cache', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache')] } }), nodes), ['n1', 'n2', 'n3']);
});

test('required anti-affinity: not in a domain with a matching pod (unschedulable: preemption may help)', () => {
  const { nodes } = cluster();
  const pod = withAffinity('db-1', 'db', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'zone')] } });
  assert.deepEqual(fitting(pod, nodes), ['n3']);
  assert.equal((runFilter(interPodAffinity, fakeContext(nodes), pod, nodes[1]) as { code: string }).code, 'Unschedulable');
});

test("existing pods' anti-affinity keeps matching pods out of their domain", () => {
  const guard = withAffinity('guard', 'guard', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'zone')] } });
  const n1 = nodeInfo(makeNode('n1', {}, { zone: 'a' }), [guard]);
  const n2 = nodeInfo(makeNode('n2', {}, { zone: 'a' }));
  const n3 = nodeInfo(makeNode('n3', {}, { zone: 'b' }));
  const nodes = [n1, n2, n3];
  assert.deepEqual(fitting(labelled('web', 'web'), nodes), ['n3']);
  assert.deepEqual(runFilter(interPodAffinity, fakeContext(nodes), labelled('web', 'web'), n2), {
    code: 'Unschedulable',
    reasons: ["node(s) didn't satisfy existing pods anti-affinity rules"],
    plugin: 'InterPodAffinity',
  });
  assert.equal(runFilter(interPodAffinity, fakeContext(nodes), labelled('other', 'other'), n1), undefined);
});

test('namespaces and namespaceSelector decide which pods a term sees', () => {
  const n1 = nodeInfo(makeNode('n1', {}), [labelled('db-x', 'db', 'team-x')]);
  const n2 = nodeInfo(makeNode('n2', {}));
  const nodes = [n1, n2];
  const ns = { 'team-x': { team: 'x' }, default: {} };
  const sameNs = withAffinity('w', 'w', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } });
  assert.deepEqual(fitting(sameNs, nodes, ns), ['n1', 'n2']);
  const listed = withAffinity('w', 'w', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', undefined, { namespaces: ['team-x'] })] } });
  assert.deepEqual(fitting(listed, nodes, ns), ['n2']);
  const selected = withAffinity('w', 'w', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', undefined, { namespaceSelector: { matchLabels: { team: 'x' } } })] } });
  assert.deepEqual(fitting(selected, nodes, ns), ['n2']);
  const all = withAffinity('w', 'w', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', undefined, { namespaceSelector: {} })] } });
  assert.deepEqual(fitting(all, nodes, ns), ['n2']);
});

test('preferred affinity and anti-affinity score by topology, min-max normalized', () => {
  const { nodes } = cluster();
  const near = withAffinity('w', 'w', { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('db', 'zone') }] } });
  assert.deepEqual(runScore(interPodAffinity, fakeContext(nodes), near, nodes), [100, 100, 0]);
  const far = withAffinity('w', 'w', { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('db', 'zone') }] } });
  assert.deepEqual(runScore(interPodAffinity, fakeContext(nodes), far, nodes), [0, 0, 100]);
  assert.equal(runScore(interPodAffinity, fakeContext(nodes), labelled('plain', 'plain'), nodes), undefined);
});
