// Unit tests of daemon pod placement: node selectors, affinity, taints and the automatic daemon tolerations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet, Node } from './eligibility';
import { addDaemonTolerations, nodeNameAffinity, nodeShouldRunDaemonPod, targetNodeName, toleratesTaint } from './eligibility';

const node = (name: string, labels: Record<string, string> = {}, taints: Node['spec'] extends infer S ? (S extends { taints?: infer T } ? T : never) : never = []): Node => ({
  metadata: { name, labels },
  spec: { taints },
});
const ds = (spec: Partial<NonNullable<DaemonSet['spec']['template']['spec']>> = {}): DaemonSet => ({
  metadata: { name: 'agent', namespace: 'kube-system', uid: 'ds' },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'a' }], ...spec } } },
});

test('every plain node runs the daemon', () => {
  assert.deepEqual(nodeShouldRunDaemonPod(node('n1'), ds()), { shouldRun: true, shouldContinueRunning: true });
});

test('nodeSelector and required node affinity restrict the nodes', () => {
  const sel = ds({ nodeSelector: { disk: 'ssd' } });
  assert.equal(nodeShouldRunDaemonPod(node('n1', { disk: 'ssd' }), sel).shouldRun, true);
  assert.deepEqual(nodeShouldRunDaemonPod(node('n2', { disk: 'hdd' }), sel), { shouldRun: false, shouldContinueRunning: false });
  const aff = ds({
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['special'] }] }],
        },
      },
    },
  });
  assert.equal(nodeShouldRunDaemonPod(node('n1', { zone: 'b' }), aff).shouldRun, true);
  assert.equal(nodeShouldRunDaemonPod(node('special'), aff).shouldRun, true);
  assert.equal(nodeShouldRunDaemonPod(node('n3', { zone: 'c' }), aff).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node('n1'), ds({ nodeName: 'n2' })).shouldRun, false);
});

test('taints: NoSchedule keeps new pods off but lets old ones stay; NoExecute drives them away; tolerations allow both', () => {
  const noSchedule = node('n1', {}, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
  assert.deepEqual(nodeShouldRunDaemonPod(noSchedule, ds()), { shouldRun: false, shouldContinueRunning: true });
  const noExecute = node('n1', {}, [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
  assert.deepEqual(nodeShouldRunDaemonPod(noExecute, ds()), { shouldRun: false, shouldContinueRunning: false });
  const tolerant = ds({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db' }] });
  assert.deepEqual(nodeShouldRunDaemonPod(noExecute, tolerant), { shouldRun: true, shouldContinueRunning: true });
  const everything = ds({ tolerations: [{ operator: 'Exists' }] });
  assert.equal(nodeShouldRunDaemonPod(noExecute, everything).shouldRun, true);
  // PreferNoSchedule never keeps a daemon away.
  assert.equal(nodeShouldRunDaemonPod(node('n1', {}, [{ key: 'x', effect: 'PreferNoSchedule' }]), ds()).shouldRun, true);
});

test('daemon pods tolerate not-ready, unreachable, pressure and unschedulable nodes automatically', () => {
  for (const [key, effect] of [
    ['node.kubernetes.io/not-ready', 'NoExecute'],
    ['node.kubernetes.io/unreachable', 'NoExecute'],
    ['node.kubernetes.io/disk-pressure', 'NoSchedule'],
    ['node.kubernetes.io/memory-pressure', 'NoSchedule'],
    ['node.kubernetes.io/pid-pressure', 'NoSchedule'],
    ['node.kubernetes.io/unschedulable', 'NoSchedule'],
  ]) {
    assert.equal(nodeShouldRunDaemonPod(node('n1', {}, [{ key, effect }]), ds()).shouldRun, true, key);
  }
  assert.equal(nodeShouldRunDaemonPod(node('n1', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), ds()).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node('n1', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), ds({ hostNetwork: true })).shouldRun, true);
  const spec = { containers: [], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }] };
  addDaemonTolerations(spec);
  // An equal toleration (same key, operator, value, effect) is replaced: no tolerationSeconds, so never evicted.
  assert.equal(spec.tolerations.length, 6);
  assert.deepEqual(spec.tolerations[0], { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' });
});

test('toleration matching as upstream', () => {
  assert.ok(toleratesTaint({ key: 'k', operator: 'Exists' }, { key: 'k', value: 'v', effect: 'NoSchedule' }));
  assert.ok(!toleratesTaint({ key: 'k', operator: 'Equal', value: 'w' }, { key: 'k', value: 'v', effect: 'NoSchedule' }));
  assert.ok(!toleratesTaint({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, { key: 'k', effect: 'NoSchedule' }));
});

test('pods are pinned with matchFields metadata.name, replacing other required terms', () => {
  const a = nodeNameAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }] } } }, 'n7');
  assert.deepEqual(a.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n7'] }] }] });
  assert.equal(targetNodeName({ metadata: {}, spec: { containers: [], affinity: a } }), 'n7');
  assert.equal(targetNodeName({ metadata: {}, spec: { containers: [], nodeName: 'n2', affinity: a } }), 'n2');
  assert.equal(targetNodeName({ metadata: {}, spec: { containers: [] } }), undefined);
});
