// Unit tests of the StatefulSet planner and status: ordered and parallel scaling, claims, partitions, recreation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../shared/types';
import type { Claim, StatefulSet } from './identity';
import { newStatefulSetPod } from './identity';
import type { Action, PlanInput, RevisionRef } from './reconcile';
import { calculateStatus, planStatefulSet, statusNeedsUpdate } from './reconcile';

const NOW = Date.parse('2024-05-01T10:00:00Z');
const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });
const V1: RevisionRef = { name: 'web-aaa', template: template('nginx:1') };
const V2: RevisionRef = { name: 'web-bbb', template: template('nginx:2') };

function makeSet(over: Partial<StatefulSet['spec']> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'set-uid', generation: 1 },
    spec: {
      replicas: 3,
      serviceName: 'web-svc',
      selector: { matchLabels: { app: 'web' } },
      template: template('nginx:1'),
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      ...over,
    },
  };
}

function pod(set: StatefulSet, ordinal: number, opts: { rev?: RevisionRef; phase?: string; ready?: boolean; deleting?: boolean } = {}): Pod {
  const rev = opts.rev ?? V1;
  const p = newStatefulSetPod(set, rev.template, ordinal, rev.name);
  p.metadata.uid = `uid-${ordinal}`;
  const ready = opts.ready ?? true;
  p.status = {
    phase: opts.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2024-05-01T09:00:00Z' }],
  };
  if (opts.deleting) p.metadata.deletionTimestamp = '2024-05-01T10:00:00Z';
  return p;
}

const plan = (set: StatefulSet, pods: Pod[], over: Partial<PlanInput> = {}) =>
  planStatefulSet({ set, pods, claims: new Map(), current: V1, update: V1, now: NOW, ...over });
const describe = (actions: Action[]) => actions.map((a) => (a.type === 'claimRefs' ? `claimRefs ${a.claim.metadata.name}` : `${a.type} ${a.pod.metadata.name}`));

test('OrderedReady creates web-0 first and waits for it to be running and ready', () => {
  const set = makeSet();
  assert.deepEqual(describe(plan(set, [])), ['create web-0']);
  assert.deepEqual(describe(plan(set, [pod(set, 0, { phase: 'Pending', ready: false })])), []);
  assert.deepEqual(describe(plan(set, [pod(set, 0, { ready: false })])), []);
  assert.deepEqual(describe(plan(set, [pod(set, 0)])), ['create web-1']);
  assert.deepEqual(describe(plan(set, [pod(set, 0), pod(set, 1)])), ['create web-2']);
  assert.deepEqual(describe(plan(set, [pod(set, 0), pod(set, 1), pod(set, 2)])), []);
});

test('minReadySeconds: a ready pod must also be available before the next is made', () => {
  const set = makeSet({ minReadySeconds: 3600 * 2 });
  assert.deepEqual(describe(plan(set, [pod(set, 0)])), []);
});

test('new pods carry identity, hostname/subdomain, labels, revision and claim volumes', () => {
  const set = makeSet({ volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] });
  const [a] = plan(set, []);
  assert.equal(a.type, 'create');
  if (a.type !== 'create') return;
  const p = a.pod;
  assert.equal(p.metadata.name, 'web-0');
  assert.equal(p.metadata.generateName, undefined);
  assert.deepEqual(p.metadata.labels, {
    app: 'web',
    'statefulset.kubernetes.io/pod-name': 'web-0',
    'apps.kubernetes.io/pod-index': '0',
    'controller-revision-hash': 'web-aaa',
  });
  assert.equal(p.spec.hostname, 'web-0');
  assert.equal(p.spec.subdomain, 'web-svc');
  assert.deepEqual(p.spec.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }]);
  assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(
    a.claims.map((c) => [c.metadata.name, c.metadata.labels, c.metadata.ownerReferences]),
    [['www-web-0', { app: 'web' }, undefined]],
  );
});

test('claims that already exist are not created again; whenDeleted=Delete makes the set their owner', () => {
  const vct = [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
  const set = makeSet({ volumeClaimTemplates: vct, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
  const existing: Claim = { metadata: { name: 'www-web-0', namespace: 'ns' }, spec: {} };
  const [a] = plan(set, [], { claims: new Map([['www-web-0', existing]]) });
  assert.ok(a.type === 'create' && a.claims.length === 0);
  const [b] = plan(set, []);
  assert.ok(b.type === 'create');
  if (b.type === 'create') assert.deepEqual(b.claims[0].metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid' }]);
});

test('scale down removes the highest ordinal first, one at a time, waiting for termination', () => {
  const set = makeSet({ replicas: 1 });
  const pods = [pod(set, 0), pod(set, 1), pod(set, 2)];
  assert.deepEqual(describe(plan(set, pods)), ['delete web-2']);
  assert.deepEqual(describe(plan(set, [pod(set, 0), pod(set, 1), pod(set, 2, { deleting: true })])), []);
  assert.deepEqual(describe(plan(set, [pod(set, 0), pod(set, 1)])), ['delete web-1']);
});

test('whenScaled=Delete hands a condemned pod claim to the pod before deleting it', () => {
  const vct = [{ metadata: { name: 'www' }, spec: {} }];
  const set = makeSet({ replicas: 1, volumeClaimTemplates: vct, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
  const pods = [pod(set, 0), pod(set, 1)];
  const claims = new Map<string, Claim>([
    ['www-web-0', { metadata: { name: 'www-web-0', namespace: 'ns' } }],
    ['www-web-1', { metadata: { name: 'www-web-1', namespace: 'ns' } }],
  ]);
  const actions = plan(set, pods, { claims });
  assert.deepEqual(describe(actions), ['claimRefs www-web-1', 'delete web-1']);
  const fix = actions[0];
  if (fix.type === 'claimRefs') assert.deepEqual(fix.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: 'uid-1' }]);
});

test('Parallel creates every missing pod and deletes every condemned pod at once', () => {
  const set = makeSet({ podManagementPolicy: 'Parallel' });
  assert.deepEqual(describe(plan(set, [])), ['create web-0', 'create web-1', 'create web-2']);
  const down = makeSet({ podManagementPolicy: 'Parallel', replicas: 1 });
  assert.deepEqual(describe(plan(down, [pod(down, 0), pod(down, 1, { ready: false }), pod(down, 2)])), ['delete web-2', 'delete web-1']);
});

test('a failed pod is deleted and recreated in the same pass', () => {
  const set = makeSet();
  const actions = plan(set, [pod(set, 0, { phase: 'Failed', ready: false })]);
  assert.deepEqual(describe(actions), ['delete web-0', 'create web-0']);
  assert.ok(actions[0].type === 'delete' && actions[0].reason === 'failed');
});

test('RollingUpdate replaces from the highest ordinal down, one unhealthy pod at a time', () => {
  const set = makeSet({ template: V2.template });
  const old = [pod(set, 0), pod(set, 1), pod(set, 2)];
  assert.deepEqual(describe(plan(set, old, { update: V2 })), ['delete web-2']);
  // web-2 came back at V2 but is not ready yet: wait.
  assert.deepEqual(describe(plan(set, [pod(set, 0), pod(set, 1), pod(set, 2, { rev: V2, ready: false })], { update: V2 })), []);
  assert.deepEqual(describe(plan(set, [pod(set, 0), pod(set, 1), pod(set, 2, { rev: V2 })], { update: V2 })), ['delete web-1']);
  // A recreated pod gets the update revision.
  const [c] = plan(set, [pod(set, 0), pod(set, 2, { rev: V2 })], { update: V2 });
  assert.ok(c.type === 'create' && c.pod.metadata.labels!['controller-revision-hash'] === 'web-bbb');
});

test('partition: only ordinals at or above it are updated; below it pods are made at the current revision', () => {
  const set = makeSet({ template: V2.template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
  assert.deepEqual(describe(plan(set, [pod(set, 0), pod(set, 1), pod(set, 2, { rev: V2 })], { update: V2 })), []);
  const [c] = plan(set, [pod(set, 1), pod(set, 2, { rev: V2 })], { update: V2 });
  assert.ok(c.type === 'create');
  if (c.type === 'create') {
    assert.equal(c.pod.metadata.labels!['controller-revision-hash'], 'web-aaa');
    assert.equal(c.pod.spec.containers[0].image, 'nginx:1');
  }
});

test('OnDelete never deletes pods for an update', () => {
  const set = makeSet({ template: V2.template, updateStrategy: { type: 'OnDelete' } });
  assert.deepEqual(describe(plan(set, [pod(set, 0), pod(set, 1), pod(set, 2)], { update: V2 })), []);
});

test('a pod whose identity labels drifted is updated', () => {
  const set = makeSet({ replicas: 1 });
  const p = pod(set, 0);
  delete p.metadata.labels!['apps.kubernetes.io/pod-index'];
  const [u] = plan(set, [p]);
  assert.ok(u.type === 'update');
  if (u.type === 'update') assert.equal(u.pod.metadata.labels!['apps.kubernetes.io/pod-index'], '0');
});

test('a set being deleted does nothing', () => {
  const set = makeSet();
  set.metadata.deletionTimestamp = '2024-05-01T10:00:00Z';
  assert.deepEqual(plan(set, []), []);
});

test('status counts pods and completes a rolling update once all are updated and ready', () => {
  const set = makeSet();
  const pods = [pod(set, 0), pod(set, 1, { rev: V2 }), pod(set, 2, { phase: 'Pending', ready: false })];
  const st = calculateStatus(set, pods, 'web-aaa', 'web-bbb', 0, NOW);
  assert.deepEqual(st, {
    observedGeneration: 1,
    replicas: 3,
    readyReplicas: 2,
    currentReplicas: 2,
    updatedReplicas: 1,
    availableReplicas: 2,
    currentRevision: 'web-aaa',
    updateRevision: 'web-bbb',
    collisionCount: 0,
  });
  const done = calculateStatus(set, [pod(set, 0, { rev: V2 }), pod(set, 1, { rev: V2 })], 'web-aaa', 'web-bbb', 0, NOW);
  assert.equal(done.currentRevision, 'web-bbb');
  assert.equal(done.currentReplicas, 2);
  assert.ok(statusNeedsUpdate(set, st));
  assert.ok(!statusNeedsUpdate({ ...set, status: st }, st));
});
