// The scale-down order: each upstream rule decides when the rules before it tie.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { POD_DELETION_COST_ANNOTATION, sortForDeletion } from './pod-ranking';
import type { Pod } from './types';

const NOW = Date.parse('2024-01-01T12:00:00Z');
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();

interface Spec {
  name: string;
  node?: string;
  phase?: string;
  readySince?: number;
  restarts?: number;
  createdAgo?: number;
  cost?: string;
}

function pod(s: Spec): Pod {
  return {
    metadata: { name: s.name, uid: s.name, creationTimestamp: iso(s.createdAgo ?? 3_600_000), annotations: s.cost ? { [POD_DELETION_COST_ANNOTATION]: s.cost } : {} },
    spec: { containers: [], nodeName: s.node },
    status: {
      phase: s.phase ?? 'Running',
      conditions: s.readySince !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(s.readySince) }] : [],
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: true, restartCount: s.restarts ?? 0 }],
    },
  };
}

const order = (specs: Spec[], ranks: number[] = []) =>
  sortForDeletion(
    specs.map((s, i) => ({ pod: pod(s), rank: ranks[i] ?? 0 })),
    NOW,
  ).map((r) => r.pod.metadata.name);

test('unscheduled before scheduled', () => {
  assert.deepEqual(order([{ name: 'on-node', node: 'n1' }, { name: 'unscheduled' }]), ['unscheduled', 'on-node']);
});

test('Pending before Unknown before Running', () => {
  assert.deepEqual(order([{ name: 'running', node: 'n', phase: 'Running' }, { name: 'unknown', node: 'n', phase: 'Unknown' }, { name: 'pending', node: 'n', phase: 'Pending' }]), ['pending', 'unknown', 'running']);
});

test('not ready before ready', () => {
  assert.deepEqual(order([{ name: 'ready', node: 'n', readySince: 60_000 }, { name: 'not-ready', node: 'n' }]), ['not-ready', 'ready']);
});

test('lower pod-deletion-cost first', () => {
  assert.deepEqual(order([{ name: 'dear', node: 'n', cost: '100' }, { name: 'cheap', node: 'n', cost: '-5' }, { name: 'plain', node: 'n' }]), ['cheap', 'plain', 'dear']);
});

test('doubled up on a node before alone', () => {
  assert.deepEqual(order([{ name: 'alone', node: 'a' }, { name: 'crowded', node: 'b' }], [1, 3]), ['crowded', 'alone']);
});

test('ready for less time first, in power-of-two age buckets', () => {
  assert.deepEqual(order([{ name: 'old', node: 'n', readySince: 3_600_000 }, { name: 'young', node: 'n', readySince: 1000 }]), ['young', 'old']);
  // 1000 s and 1001 s ago fall in one bucket: the tie goes to the UID (name here).
  assert.deepEqual(order([{ name: 'b', node: 'n', readySince: 1_001_000 }, { name: 'a', node: 'n', readySince: 1_000_000 }]), ['a', 'b']);
});

test('more restarts first, then newer first', () => {
  assert.deepEqual(order([{ name: 'calm', node: 'n', restarts: 0 }, { name: 'flappy', node: 'n', restarts: 5 }]), ['flappy', 'calm']);
  assert.deepEqual(order([{ name: 'older', node: 'n', createdAgo: 86_400_000 }, { name: 'newer', node: 'n', createdAgo: 60_000 }]), ['newer', 'older']);
});
