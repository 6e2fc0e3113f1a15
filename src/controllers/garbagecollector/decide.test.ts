// Tests of the collector's decisions: solid, dangling and foreground-waiting owners, and the policy a deletion uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { attemptToDeleteAction, classifyReferences, unblockOwner, withoutOwners } from './decide';

const ref = (uid: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid });
const obj = (uid: string, meta: object = {}): KObject => ({ metadata: { uid, name: uid, ...meta } });
const deletingFg = (uid: string) => obj(uid, { deletionTimestamp: 'x', finalizers: ['foregroundDeletion'] });

test('references are solid, dangling (gone or replaced) or waiting for dependents', () => {
  const c = classifyReferences([
    { ref: ref('a'), owner: obj('a') },
    { ref: ref('b'), owner: undefined },
    { ref: ref('c'), owner: obj('other') },
    { ref: ref('d'), owner: deletingFg('d') },
    { ref: ref('e'), owner: obj('e', { deletionTimestamp: 'x', finalizers: ['orphan'] }) },
  ]);
  assert.deepEqual(c.solid.map((r) => r.uid), ['a', 'e']);
  assert.deepEqual(c.dangling.map((r) => r.uid), ['b', 'c']);
  assert.deepEqual(c.waitingForDependentsDeletion.map((r) => r.uid), ['d']);
});

test('a solid owner keeps the item but stale references are dropped', () => {
  assert.deepEqual(attemptToDeleteAction(obj('x'), { solid: [ref('a')], dangling: [], waitingForDependentsDeletion: [] }, []), { type: 'none' });
  assert.deepEqual(attemptToDeleteAction(obj('x'), { solid: [ref('a')], dangling: [ref('b')], waitingForDependentsDeletion: [ref('c')] }, []), {
    type: 'removeOwnerReferences',
    uids: ['b', 'c'],
  });
});

test('without solid owners the item is deleted, with the policy its own finalizers ask for', () => {
  const dangling = { solid: [], dangling: [ref('a')], waitingForDependentsDeletion: [] };
  assert.deepEqual(attemptToDeleteAction(obj('x'), dangling, []), { type: 'delete', policy: 'Background', unblock: [] });
  assert.deepEqual(attemptToDeleteAction(obj('x', { finalizers: ['orphan'] }), dangling, []), { type: 'delete', policy: 'Orphan', unblock: [] });
  assert.deepEqual(attemptToDeleteAction(obj('x', { finalizers: ['foregroundDeletion'] }), dangling, []), { type: 'delete', policy: 'Foreground', unblock: [] });
});

test('a foreground owner deletes a dependent that has dependents in the foreground, relaxing cycles', () => {
  const waiting = { solid: [], dangling: [], waitingForDependentsDeletion: [ref('a')] };
  assert.deepEqual(attemptToDeleteAction(obj('x'), waiting, [{ uid: 'y', deletingDependents: true }, { uid: 'z', deletingDependents: false }]), {
    type: 'delete',
    policy: 'Foreground',
    unblock: ['y'],
  });
  assert.deepEqual(attemptToDeleteAction(obj('x'), waiting, []), { type: 'delete', policy: 'Background', unblock: [] });
});

test('reference edits', () => {
  assert.equal(withoutOwners([ref('a')], ['a']), undefined);
  assert.deepEqual(withoutOwners([ref('a'), ref('b')], ['a']), [ref('b')]);
  assert.deepEqual(unblockOwner([{ ...ref('a'), blockOwnerDeletion: true }], 'a'), [{ ...ref('a'), blockOwnerDeletion: false }]);
});
