// Unit tests of the DaemonSet decisions: pods per node, rolling updates with maxUnavailable and maxSurge, status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../shared/types';
import type { DaemonSet, Node } from './eligibility';
import { calculateStatus, desiredCounts, manage, newPodTemplate, podTemplateForNode, rollingUpdate, scaled } from './reconcile';

const NOW = Date.parse('2024-05-01T10:00:00Z');
const nodes = (n: number): Node[] => Array.from({ length: n }, (_, i) => ({ metadata: { name: `n${i + 1}` }, spec: {} }));
const ds = (rollingUpdate: { maxUnavailable?: number | string; maxSurge?: number | string } = { maxUnavailable: 1, maxSurge: 0 }): DaemonSet => ({
  metadata: { name: 'agent', namespace: 'ns', uid: 'ds', generation: 2, annotations: { 'deprecated.daemonset.template.generation': '2' } },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'a' }] } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate },
  },
});
let seq = 0;
function pod(node: string, hash: string, opts: { ready?: boolean; phase?: string; created?: string } = {}): Pod {
  seq++;
  return {
    metadata: { name: `agent-${seq}`, namespace: 'ns', labels: { app: 'agent', 'controller-revision-hash': hash }, creationTimestamp: opts.created ?? `2024-05-01T09:00:${String(seq % 60).padStart(2, '0')}Z` },
    spec: { containers: [], nodeName: node },
    status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: '2024-05-01T09:00:00Z' }] },
  };
}
const byNode = (pods: Pod[]) => {
  const m = new Map<string, Pod[]>();
  for (const p of pods) m.set(p.spec.nodeName!, [...(m.get(p.spec.nodeName!) ?? []), p]);
  return m;
};

test('a pod is created on every node without one', () => {
  const plan = manage(ds(), nodes(3), byNode([pod('n2', 'new')]), 'new', NOW);
  assert.deepEqual(plan.createOn, ['n1', 'n3']);
  assert.deepEqual(plan.deletePods, []);
});

test('pods of removed nodes, surplus pods and finished pods are deleted; failed pods are reported', () => {
  const keep = pod('n1', 'new', { created: '2024-05-01T08:00:00Z' });
  const extra = pod('n1', 'new', { created: '2024-05-01T09:30:00Z' });
  const gone = pod('n9', 'new');
  const done = pod('n2', 'new', { phase: 'Succeeded' });
  const failed = pod('n3', 'new', { phase: 'Failed' });
  const plan = manage(ds(), nodes(3), byNode([keep, extra, gone, done, failed]), 'new', NOW);
  assert.deepEqual(plan.deletePods.map((p) => p.metadata.name).sort(), [extra, gone, done].map((p) => p.metadata.name).sort());
  assert.deepEqual(plan.failedPods.map((f) => f.pod.metadata.name), [failed.metadata.name]);
  assert.deepEqual(plan.createOn, []);
});

test('a node that no longer fits loses its pod', () => {
  const d = ds();
  d.spec.template.spec!.nodeSelector = { role: 'edge' };
  const plan = manage(d, nodes(1), byNode([pod('n1', 'new')]), 'new', NOW);
  assert.equal(plan.deletePods.length, 1);
});

test('the pod template carries the hash, generation, daemon tolerations and per-node affinity', () => {
  const t = newPodTemplate(ds(), 'abc');
  assert.deepEqual(t.metadata!.labels, { app: 'agent', 'controller-revision-hash': 'abc', 'pod-template-generation': '2' });
  assert.equal(t.spec!.tolerations!.length, 6);
  const forNode = podTemplateForNode(t, 'n2');
  assert.deepEqual(forNode.spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms, [
    { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] },
  ]);
  assert.equal(t.spec!.affinity, undefined);
});

test('rolling update without surge deletes at most maxUnavailable available old pods, unavailable ones first', () => {
  const pods = [pod('n1', 'old'), pod('n2', 'old'), pod('n3', 'old', { ready: false })];
  const step = rollingUpdate(ds(), nodes(3), byNode(pods), 'new', NOW);
  assert.deepEqual(step.deletePods.map((p) => p.spec.nodeName).sort(), ['n1', 'n3']);
  // One new pod not yet available: nothing more goes.
  const waiting = [pod('n1', 'new', { ready: false }), pod('n2', 'old'), pod('n3', 'old')];
  assert.deepEqual(rollingUpdate(ds(), nodes(3), byNode(waiting), 'new', NOW).deletePods, []);
  const next = [pod('n1', 'new'), pod('n2', 'old'), pod('n3', 'old')];
  assert.equal(rollingUpdate(ds(), nodes(3), byNode(next), 'new', NOW).deletePods.length, 1);
  assert.equal(rollingUpdate(ds({ maxUnavailable: '100%' }), nodes(3), byNode(next), 'new', NOW).deletePods.length, 2);
});

test('rolling update with surge starts new pods beside old ones and removes old ones once new are available', () => {
  const surge = ds({ maxUnavailable: 0, maxSurge: 1 });
  const step = rollingUpdate(surge, nodes(3), byNode([pod('n1', 'old'), pod('n2', 'old'), pod('n3', 'old')]), 'new', NOW);
  assert.equal(step.createOn.length, 1);
  assert.deepEqual(step.deletePods, []);
  const old1 = pod('n1', 'old');
  const after = rollingUpdate(surge, nodes(3), byNode([old1, pod('n1', 'new'), pod('n2', 'old'), pod('n3', 'old')]), 'new', NOW);
  assert.deepEqual(after.deletePods, [old1]);
  // n1's new pod is available, so it no longer counts against maxSurge: the next node surges.
  assert.equal(after.createOn.length, 1);
  const busy = rollingUpdate(surge, nodes(3), byNode([old1, pod('n1', 'new', { ready: false }), pod('n2', 'old'), pod('n3', 'old')]), 'new', NOW);
  assert.deepEqual(busy, { deletePods: [], createOn: [] });
});

test('surge and unavailability scale with the desired count', () => {
  assert.equal(scaled('10%', 25), 3);
  assert.equal(scaled(2, 25), 2);
  assert.deepEqual(desiredCounts(ds({ maxUnavailable: 0, maxSurge: 0 }), nodes(4)), { desired: 4, maxSurge: 0, maxUnavailable: 1 });
});

test('status counts desired, current, ready, updated, available and misscheduled pods', () => {
  const d = ds();
  d.spec.template.spec!.nodeSelector = { role: 'edge' };
  const ns: Node[] = [
    { metadata: { name: 'n1', labels: { role: 'edge' } }, spec: {} },
    { metadata: { name: 'n2', labels: { role: 'edge' } }, spec: {} },
    { metadata: { name: 'n3', labels: { role: 'edge' } }, spec: {} },
    { metadata: { name: 'n4' }, spec: {} },
  ];
  const st = calculateStatus(d, ns, byNode([pod('n1', 'new'), pod('n2', 'old', { ready: false }), pod('n4', 'new')]), 'new', NOW);
  assert.deepEqual(st, {
    currentNumberScheduled: 2,
    numberMisscheduled: 1,
    desiredNumberScheduled: 3,
    numberReady: 1,
    observedGeneration: 2,
    updatedNumberScheduled: 1,
    numberAvailable: 1,
    numberUnavailable: 2,
  });
});
