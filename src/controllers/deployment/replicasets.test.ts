// New and old ReplicaSets: naming, template matching without the hash, active/latest, orderings, cleanup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bySizeNewer, bySizeOlder, equalIgnoreHash, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets, newReplicaSetFor, replicaSetsToCleanUp } from './replicasets';
import { deploymentOf, replicaSetOf } from './testdata';

const names = (rss: { metadata: { name?: string } }[]) => rss.map((r) => r.metadata.name);

test('the new ReplicaSet is "<deployment>-<hash>", with the hash in template labels, labels and selector, owned by the Deployment', () => {
  const d = deploymentOf(3, 1, 0, { minReadySeconds: 5 });
  const rs = newReplicaSetFor(d, '5d4f7b8c9');
  assert.equal(rs.metadata.name, 'web-5d4f7b8c9');
  assert.deepEqual(rs.metadata.labels, { app: 'web', 'pod-template-hash': '5d4f7b8c9' });
  assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': '5d4f7b8c9' } });
  assert.deepEqual(rs.spec.template!.metadata!.labels, { app: 'web', 'pod-template-hash': '5d4f7b8c9' });
  assert.equal(rs.spec.minReadySeconds, 5);
  assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true }]);
  // The Deployment is left alone.
  assert.deepEqual(d.spec.template.metadata!.labels, { app: 'web' });
  assert.deepEqual(d.spec.selector.matchLabels, { app: 'web' });
});

test('templates match ignoring the hash label and empty-versus-missing fields', () => {
  const d = deploymentOf(1);
  assert.equal(equalIgnoreHash(d.spec.template, replicaSetOf('x', 1, 1, 0).spec.template), true);
  assert.equal(equalIgnoreHash(d.spec.template, { ...d.spec.template, metadata: { labels: { app: 'web' }, annotations: {} } }), true);
  assert.equal(equalIgnoreHash(d.spec.template, replicaSetOf('x', 1, 1, 0, {}, 'nginx:2').spec.template), false);
});

test('new is the oldest ReplicaSet with the template; the others are old', () => {
  const d = deploymentOf(1);
  const list = [replicaSetOf('b', 1, 1, 20), replicaSetOf('other', 1, 1, 0, {}, 'nginx:0'), replicaSetOf('a', 1, 1, 10)];
  assert.equal(findNewReplicaSet(d, list)!.metadata.name, 'a');
  assert.deepEqual(names(findOldReplicaSets(d, list)), ['b', 'other']);
});

test('active or latest: the single active one, the newest when none is active, none when several are', () => {
  const newRS = replicaSetOf('new', 0, 0, 20);
  assert.equal(findActiveOrLatest(newRS, [replicaSetOf('old', 3, 3, 0)])!.metadata.name, 'old');
  assert.equal(findActiveOrLatest(undefined, [replicaSetOf('o1', 0, 0, 0), replicaSetOf('o2', 0, 0, 5)])!.metadata.name, 'o2');
  assert.equal(findActiveOrLatest(newRS, [replicaSetOf('old', 0, 0, 0)])!.metadata.name, 'new');
  assert.equal(findActiveOrLatest(replicaSetOf('new', 1, 0, 20), [replicaSetOf('old', 3, 3, 0)]), undefined);
});

test('size orders: larger first; ties newer first when scaling up, older first when scaling down', () => {
  const list = [replicaSetOf('old2', 2, 2, 0), replicaSetOf('big', 5, 5, 10), replicaSetOf('new2', 2, 2, 20)];
  assert.deepEqual(names([...list].sort(bySizeNewer)), ['big', 'new2', 'old2']);
  assert.deepEqual(names([...list].sort(bySizeOlder)), ['big', 'old2', 'new2']);
});

test('cleanup: the oldest beyond revisionHistoryLimit, only when empty and observed', () => {
  const d = deploymentOf(1, 1, 0, { revisionHistoryLimit: 1 });
  const unobserved = replicaSetOf('unobserved', 0, 0, 2);
  unobserved.metadata.generation = 2;
  const old = [replicaSetOf('r3', 0, 0, 3), replicaSetOf('r0', 0, 0, 0), replicaSetOf('busy', 1, 1, 1), unobserved];
  assert.deepEqual(names(replicaSetsToCleanUp(d, old)), ['r0']);
  assert.deepEqual(replicaSetsToCleanUp({ ...d, spec: { ...d.spec, revisionHistoryLimit: 2 ** 31 - 1 } }, old), []);
});
