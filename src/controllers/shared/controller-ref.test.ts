// Claiming by selector: keep, adopt, release or ignore, and the patches that adopting and releasing send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/errors';
import { labelSelectorFromObject } from '../../machinery/labels';
import type { KObject } from '../../api/types';
import { claimAction, claimObjects } from './controller-ref';

const owner: KObject = { metadata: { name: 'web', namespace: 'ns', uid: 'rs-uid' } };
const sel = labelSelectorFromObject({ matchLabels: { app: 'web' } });
const obj = (name: string, labels: Record<string, string>, controllerUid?: string, extra: Partial<KObject['metadata']> = {}): KObject => ({
  metadata: {
    name,
    namespace: 'ns',
    uid: `${name}-uid`,
    labels,
    ownerReferences: controllerUid ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: controllerUid, controller: true }] : undefined,
    ...extra,
  },
});

test('claimAction follows upstream ClaimObject', () => {
  assert.equal(claimAction(obj('mine', { app: 'web' }, 'rs-uid'), owner, sel), 'claimed');
  assert.equal(claimAction(obj('stray', { app: 'db' }, 'rs-uid'), owner, sel), 'release');
  assert.equal(claimAction(obj('theirs', { app: 'web' }, 'other'), owner, sel), 'ignore');
  assert.equal(claimAction(obj('orphan', { app: 'web' }), owner, sel), 'adopt');
  assert.equal(claimAction(obj('unrelated', { app: 'db' }), owner, sel), 'ignore');
  assert.equal(claimAction(obj('dying', { app: 'web' }, undefined, { deletionTimestamp: '2024-01-01T00:00:00Z' }), owner, sel), 'ignore');
  assert.equal(claimAction(obj('elsewhere', { app: 'web' }, undefined, { namespace: 'other' }), owner, sel), 'ignore');
  const deleting = { metadata: { ...owner.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
  assert.equal(claimAction(obj('mine', { app: 'web' }, 'rs-uid'), deleting, sel), 'claimed');
  assert.equal(claimAction(obj('stray', { app: 'db' }, 'rs-uid'), deleting, sel), 'ignore');
  assert.equal(claimAction(obj('orphan', { app: 'web' }), deleting, sel), 'ignore');
});

test('claimObjects adopts with a controller ref, releases with a $patch delete, checks the owner once', async () => {
  const patches: [string, unknown][] = [];
  let rechecks = 0;
  const claimed = await claimObjects([obj('mine', { app: 'web' }, 'rs-uid'), obj('o1', { app: 'web' }), obj('o2', { app: 'web' }), obj('stray', { app: 'db' }, 'rs-uid')], {
    owner,
    kind: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
    selector: sel,
    objectKind: 'Pod',
    patch: async (_ns, name, p) => void patches.push([name, p]),
    canAdopt: async () => void rechecks++,
  });
  assert.deepEqual(
    claimed.map((o) => o.metadata.name),
    ['mine', 'o1', 'o2'],
  );
  assert.equal(rechecks, 1);
  assert.deepEqual(patches[0], [
    'o1',
    { metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }], uid: 'o1-uid' } },
  ]);
  assert.deepEqual(patches[2], ['stray', { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'rs-uid' }], uid: 'stray-uid' } }]);
});

test('claimObjects: a vanished object is skipped, other failures are thrown after trying the rest', async () => {
  const tried: string[] = [];
  await assert.rejects(
    claimObjects([obj('gone', { app: 'web' }), obj('broken', { app: 'web' }), obj('fine', { app: 'web' })], {
      owner,
      kind: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      selector: sel,
      objectKind: 'Pod',
      patch: async (_ns, name) => {
        tried.push(name);
        if (name === 'gone') throw new StatusError(404, 'NotFound', 'pods "gone" not found');
        if (name === 'broken') throw new StatusError(409, 'Conflict', 'conflict');
      },
      canAdopt: async () => undefined,
    }),
    /conflict/,
  );
  assert.deepEqual(tried, ['gone', 'broken', 'fine']);
  await assert.rejects(
    claimObjects([obj('o', { app: 'web' })], {
      owner,
      kind: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      selector: sel,
      objectKind: 'Pod',
      patch: async () => undefined,
      canAdopt: async () => {
        throw new Error('ns/web has just been deleted at 2024-01-01T00:00:00Z');
      },
    }),
    /^Error: can't adopt Pod ns\/o \(o-uid\): ns\/web has just been deleted/,
  );
});
