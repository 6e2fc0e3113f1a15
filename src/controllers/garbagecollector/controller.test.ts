// Integration tests of the collector on an in-process API server: background, foreground, orphan, dangling references.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { R } from '../../client/types';
import { startTestbed, Testbed, until } from '../testing';
import type { Controller } from '../types';
import { startGarbageCollectorController } from './index';

let tb: Testbed;
let gc: Controller;
before(async () => {
  tb = await startTestbed();
  gc = startGarbageCollectorController(tb.deps);
});
after(async () => {
  gc?.stop();
  await tb?.close();
});

const cms = () => tb.client.resource(R.configmaps);
const exists = async (name: string) => (await cms().list('default')).items.some((c) => c.metadata.name === name);

async function family(owner: string, block = false): Promise<KObject> {
  const o = await cms().create('default', { metadata: { name: owner } });
  for (const n of ['1', '2']) {
    await cms().create('default', {
      metadata: { name: `${owner}-${n}`, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid: o.metadata.uid!, ...(block ? { blockOwnerDeletion: true } : {}) }] },
    });
  }
  return o;
}

test('background: dependents go after the owner', async () => {
  await family('bg');
  await cms().delete('default', 'bg', { propagationPolicy: 'Background' });
  await until('dependents deleted', async () => !(await exists('bg-1')) && !(await exists('bg-2')));
});

test('foreground: the owner waits for its blocking dependents, then goes', async () => {
  await family('fg', true);
  await cms().delete('default', 'fg', { propagationPolicy: 'Foreground' });
  await until('owner and dependents deleted', async () => !(await exists('fg')) && !(await exists('fg-1')) && !(await exists('fg-2')));
});

test('orphan: dependents stay without their owner reference', async () => {
  await family('or');
  await cms().delete('default', 'or', { propagationPolicy: 'Orphan' });
  await until('owner deleted', async () => !(await exists('or')));
  for (const n of ['or-1', 'or-2']) {
    const c = await cms().get('default', n);
    assert.equal(c.metadata.ownerReferences, undefined);
  }
});

test('a dependent whose owner never existed is deleted', async () => {
  await cms().create('default', { metadata: { name: 'lost', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' }] } });
  await until('dangling dependent deleted', async () => !(await exists('lost')));
});

test('a dependent with one live owner loses only the reference to the deleted one', async () => {
  const a = await cms().create('default', { metadata: { name: 'owner-a' } });
  const b = await cms().create('default', { metadata: { name: 'owner-b' } });
  await cms().create('default', {
    metadata: {
      name: 'shared',
      ownerReferences: [
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-a', uid: a.metadata.uid!, blockOwnerDeletion: true },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-b', uid: b.metadata.uid! },
      ],
    },
  });
  await cms().delete('default', 'owner-a', { propagationPolicy: 'Foreground' });
  await until('foreground owner deleted', async () => !(await exists('owner-a')));
  const shared = await cms().get('default', 'shared');
  assert.deepEqual(shared.metadata.ownerReferences?.map((r) => r.name), ['owner-b']);
});

test('cascades across kinds: a ReplicaSet deleted in the foreground takes its pods first', async () => {
  const rs = await tb.client.resource(R.replicasets).create('default', {
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  await tb.client.resource(R.pods).create('default', {
    metadata: { name: 'web-1', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }] },
    spec: { containers: [{ name: 'c', image: 'x' }] },
  });
  await tb.client.resource(R.replicasets).delete('default', 'web', { propagationPolicy: 'Foreground' });
  await until('replicaset and pod deleted', async () => {
    const [rss, pods] = await Promise.all([tb.client.resource(R.replicasets).list('default'), tb.client.resource(R.pods).list('default')]);
    return !rss.items.some((r) => r.metadata.name === 'web') && !pods.items.some((p) => p.metadata.name === 'web-1');
  });
});
