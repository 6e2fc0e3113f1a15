// Unit tests of the pod garbage collector's decisions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'kubernetes-types/core/v1';
import type { Pod } from '../shared/types';
import {
  byEvictionAndCreation,
  failedStatusPatch,
  isPodTerminated,
  missingNodes,
  ORPHANED_CONDITION,
  orphanedPods,
  terminatedPodsToDelete,
  terminatingOutOfServicePods,
  unscheduledTerminatingPods,
} from './decide';

const pod = (name: string, o: { phase?: string; reason?: string; node?: string; created?: string; deleting?: boolean } = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, creationTimestamp: o.created ?? '2024-05-01T10:00:00Z', ...(o.deleting ? { deletionTimestamp: '2024-05-01T11:00:00Z' } : {}) },
  spec: { containers: [{ name: 'c' }], ...(o.node ? { nodeName: o.node } : {}) },
  status: { phase: o.phase ?? 'Running', ...(o.reason ? { reason: o.reason } : {}) },
});
const node = (name: string, ready: boolean, taints: string[] = []): Node => ({
  metadata: { name },
  spec: { taints: taints.map((key) => ({ key, effect: 'NoExecute' })) },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('terminated means any phase but Pending, Running and Unknown', () => {
  assert.deepEqual(
    ['Pending', 'Running', 'Unknown', 'Succeeded', 'Failed'].map((phase) => isPodTerminated(pod('p', { phase }))),
    [false, false, false, true, true],
  );
});

test('finished pods beyond the threshold go, evicted first, then oldest, names breaking ties', () => {
  const pods = [
    pod('new', { phase: 'Succeeded', created: '2024-05-01T12:00:00Z' }),
    pod('b-old', { phase: 'Failed', created: '2024-05-01T09:00:00Z' }),
    pod('a-old', { phase: 'Succeeded', created: '2024-05-01T09:00:00Z' }),
    pod('evicted', { phase: 'Failed', reason: 'Evicted', created: '2024-05-01T13:00:00Z' }),
    pod('running', { phase: 'Running', created: '2024-05-01T08:00:00Z' }),
  ];
  assert.deepEqual(terminatedPodsToDelete(pods, 2).map((p) => p.metadata.name), ['evicted', 'a-old']);
  assert.deepEqual(terminatedPodsToDelete(pods, 4), []);
  assert.deepEqual(terminatedPodsToDelete(pods, 0), [], 'a threshold of 0 turns it off');
  assert.ok(byEvictionAndCreation(pods[3], pods[2]) < 0);
});

test('terminating pods are force-deleted only from nodes both NotReady and tainted out-of-service', () => {
  const nodes = new Map([
    ['oos', node('oos', false, ['node.kubernetes.io/out-of-service'])],
    ['down', node('down', false, ['node.kubernetes.io/unreachable'])],
    ['oos-ready', node('oos-ready', true, ['node.kubernetes.io/out-of-service'])],
  ]);
  const pods = [
    pod('t-oos', { node: 'oos', deleting: true }),
    pod('t-down', { node: 'down', deleting: true }),
    pod('t-ready', { node: 'oos-ready', deleting: true }),
    pod('live-oos', { node: 'oos' }),
    pod('t-unknown-node', { node: 'gone', deleting: true }),
  ];
  assert.deepEqual(terminatingOutOfServicePods(pods, nodes).map((p) => p.metadata.name), ['t-oos']);
});

test('pods of missing nodes are candidates; only confirmed-deleted nodes orphan them', () => {
  const pods = [pod('a', { node: 'n1' }), pod('b', { node: 'gone' }), pod('c'), pod('d', { node: 'gone', phase: 'Succeeded' })];
  assert.deepEqual([...missingNodes(pods, new Set(['n1']))], ['gone']);
  assert.deepEqual(orphanedPods(pods, new Set(['gone'])).map((p) => p.metadata.name), ['b', 'd']);
  assert.deepEqual(orphanedPods(pods, new Set()), []);
});

test('unscheduled pods being deleted are collected; scheduled or live ones are not', () => {
  const pods = [pod('u', { deleting: true }), pod('s', { node: 'n1', deleting: true }), pod('live')];
  assert.deepEqual(unscheduledTerminatingPods(pods).map((p) => p.metadata.name), ['u']);
});

test('a pod still running is marked Failed (with the condition) before deletion; a finished one is left as it is', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  assert.deepEqual(failedStatusPatch(pod('r'), ORPHANED_CONDITION, now), {
    metadata: { uid: 'uid-r' },
    status: { phase: 'Failed', conditions: [{ ...ORPHANED_CONDITION, lastTransitionTime: '2024-05-01T12:00:00Z' }] },
  });
  assert.deepEqual(failedStatusPatch(pod('r'), undefined, now), { metadata: { uid: 'uid-r' }, status: { phase: 'Failed' } });
  assert.equal(failedStatusPatch(pod('s', { phase: 'Succeeded' }), ORPHANED_CONDITION, now), undefined);
  const marked = pod('m');
  marked.status!.conditions = [{ ...ORPHANED_CONDITION, lastTransitionTime: '2024-05-01T11:00:00Z' }];
  assert.equal(failedStatusPatch(marked, ORPHANED_CONDITION, now)!.status.conditions![0].lastTransitionTime, '2024-05-01T11:00:00Z');
});
