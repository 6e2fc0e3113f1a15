// Revision annotations: numbering, copying from the Deployment, and the history kept on a rollback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxRevision, revisionOf, setDeploymentRevision, setNewReplicaSetAnnotations } from './annotations';
import { deploymentOf, replicaSetOf } from './testdata';

test('revisions: a missing annotation is 0, garbage is skipped', () => {
  assert.equal(revisionOf(replicaSetOf('a', 0, 0, 0)), 0);
  assert.equal(revisionOf(replicaSetOf('a', 0, 0, 0, { 'deployment.kubernetes.io/revision': 'x' })), undefined);
  const rss = ['3', 'x', '7', '1'].map((r, i) => replicaSetOf(`r${i}`, 0, 0, i, { 'deployment.kubernetes.io/revision': r }));
  assert.equal(maxRevision(rss), 7);
});

test('a new ReplicaSet: the Deployment annotations but the skipped ones, its revision and the replicas annotations', () => {
  const d = deploymentOf(4, '25%', 0);
  d.metadata.annotations = { 'kubernetes.io/change-cause': 'bump', team: 'a', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '9' };
  const rs = replicaSetOf('new', 0, 0, 0);
  assert.equal(setNewReplicaSetAnnotations(d, rs, '3', false), true);
  assert.deepEqual(rs.metadata.annotations, {
    'kubernetes.io/change-cause': 'bump',
    team: 'a',
    'deployment.kubernetes.io/revision': '3',
    'deployment.kubernetes.io/desired-replicas': '4',
    'deployment.kubernetes.io/max-replicas': '5',
  });
  // Nothing left to change.
  assert.equal(setNewReplicaSetAnnotations(d, rs, '3', true), false);
});

test('a rollback to an existing ReplicaSet moves its old revision into revision-history', () => {
  const d = deploymentOf(1);
  const rs = replicaSetOf('old', 0, 0, 0, { 'deployment.kubernetes.io/revision': '1' });
  setNewReplicaSetAnnotations(d, rs, '3', true);
  assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
  assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
  setNewReplicaSetAnnotations(d, rs, '5', true);
  assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1,3');
  // A lower revision never replaces a higher one.
  assert.equal(setNewReplicaSetAnnotations(d, rs, '4', true), false);
  // The history drops its oldest entries to stay within the limit.
  setNewReplicaSetAnnotations(d, rs, '6', true, 4);
  assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/revision-history'], '3,5');
});

test('the Deployment revision is set once', () => {
  const d = deploymentOf(1);
  assert.equal(setDeploymentRevision(d, '2'), true);
  assert.equal(setDeploymentRevision(d, '2'), false);
  assert.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
});
