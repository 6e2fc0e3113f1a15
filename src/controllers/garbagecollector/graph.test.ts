// Tests of the ownership graph: virtual owners, dependents of removed owners, foreground and orphan transitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { R } from '../../client/types';
import { Graph, referencesDiffs } from './graph';
import { collectableResources, kindResolver } from './resources';

const graph = () => new Graph(kindResolver(collectableResources()));

const cm = (name: string, owners: { name: string; uid: string; block?: boolean }[] = [], meta: object = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name,
    namespace: 'ns',
    uid: name,
    ownerReferences: owners.map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.name, uid: o.uid, ...(o.block ? { blockOwnerDeletion: true } : {}) })),
    ...meta,
  },
});

test('a dependent of an unseen owner makes a virtual owner that is checked', () => {
  const g = graph();
  const work = g.upsert(cm('child', [{ name: 'parent', uid: 'parent' }]), R.configmaps);
  assert.deepEqual(work.attemptToDelete, ['parent']);
  assert.equal(g.get('parent')!.virtual, true);
  assert.equal(g.get('parent')!.identity.namespace, 'ns');
  // Observing the owner makes it real and keeps its dependents.
  g.upsert(cm('parent'), R.configmaps);
  assert.equal(g.get('parent')!.virtual, false);
  assert.deepEqual([...g.get('parent')!.dependents], ['child']);
});

test('removing an owner queues its dependents', () => {
  const g = graph();
  g.upsert(cm('parent'), R.configmaps);
  g.upsert(cm('a', [{ name: 'parent', uid: 'parent' }]), R.configmaps);
  g.upsert(cm('b', [{ name: 'parent', uid: 'parent' }]), R.configmaps);
  assert.deepEqual(g.remove('parent').attemptToDelete.sort(), ['a', 'b']);
  assert.equal(g.get('parent'), undefined);
});

test('foreground deletion queues the owner and its dependents; a dependent going away re-queues the owner', () => {
  const g = graph();
  g.upsert(cm('parent'), R.configmaps);
  g.upsert(cm('a', [{ name: 'parent', uid: 'parent', block: true }]), R.configmaps);
  const deleting = cm('parent', [], { deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
  const work = g.upsert(deleting, R.configmaps, cm('parent'));
  assert.deepEqual(work.attemptToDelete, ['a', 'parent']);
  assert.equal(g.get('parent')!.deletingDependents, true);
  assert.deepEqual(g.blockingDependents(g.get('parent')!).map((n) => n.identity.uid), ['a']);
  assert.deepEqual(g.remove('a').attemptToDelete, ['parent']);
  assert.deepEqual(g.blockingDependents(g.get('parent')!), []);
});

test('an orphan finalizer on a deleting owner queues orphaning once', () => {
  const g = graph();
  g.upsert(cm('parent'), R.configmaps);
  const orphaning = cm('parent', [], { deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['orphan'] });
  assert.deepEqual(g.upsert(orphaning, R.configmaps, cm('parent')).attemptToOrphan, ['parent']);
  assert.deepEqual(g.upsert(orphaning, R.configmaps, orphaning).attemptToOrphan, []);
});

test('dropping a blocking reference unblocks a foreground owner', () => {
  const g = graph();
  g.upsert(cm('parent', [], { deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] }), R.configmaps);
  g.upsert(cm('a', [{ name: 'parent', uid: 'parent', block: true }]), R.configmaps);
  const work = g.upsert(cm('a'), R.configmaps, cm('a', [{ name: 'parent', uid: 'parent', block: true }]));
  assert.deepEqual(work.attemptToDelete, ['parent']);
  assert.equal(g.get('parent')!.dependents.size, 0);
});

test('reference diffs', () => {
  const a = { apiVersion: 'v1', kind: 'X', name: 'a', uid: '1' };
  const b = { apiVersion: 'v1', kind: 'X', name: 'b', uid: '2' };
  const d = referencesDiffs([a, b], [{ ...a, blockOwnerDeletion: true }, { ...b, uid: '3' }]);
  assert.deepEqual(d.added.map((r) => r.uid), ['3']);
  assert.deepEqual(d.removed.map((r) => r.uid), ['2']);
  assert.deepEqual(d.changed.map((c) => c.new.uid), ['1']);
});
