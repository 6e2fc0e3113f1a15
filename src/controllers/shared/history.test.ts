// Unit tests of ControllerRevision naming and history decisions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Revision } from './history';
import { hashControllerRevision } from './hash';
import {
  controllerRevisionName,
  findUpdateRevision,
  newControllerRevision,
  nextRevision,
  revisionsToTruncate,
  templateOfRevision,
  templatePatch,
} from './history';

const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'ns', uid: 'u1' } };
const kind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
const rev = (image: string, n: number): Revision => {
  const data = templatePatch({ spec: { containers: [{ name: 'c', image }] } });
  return newControllerRevision(owner, kind, { app: 'web' }, data, n, hashControllerRevision(data, 0));
};

test('revisions are named after the owner and carry labels, owner ref and the replacing template patch', () => {
  const r = rev('nginx:1', 1);
  assert.match(r.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(r.metadata.labels!['controller-revision-hash'], r.metadata.name!.slice(4));
  assert.equal(r.metadata.labels!.app, 'web');
  assert.equal(r.metadata.ownerReferences![0].uid, 'u1');
  assert.equal((r.data as { spec: { template: { $patch: string } } }).spec.template.$patch, 'replace');
  assert.deepEqual(templateOfRevision(r), { spec: { containers: [{ name: 'c', image: 'nginx:1' }] } });
  assert.equal(controllerRevisionName('x'.repeat(300), 'h').length, 225);
});

test('update revision: reuse the newest, bump an older equal one (rollback), or create', () => {
  const r1 = rev('nginx:1', 1);
  const r2 = rev('nginx:2', 2);
  assert.equal(nextRevision([r1, r2]), 3);
  assert.equal(nextRevision([]), 1);
  assert.deepEqual(findUpdateRevision([r1, r2], rev('nginx:2', 3)), { reuse: r2 });
  assert.deepEqual(findUpdateRevision([r1, r2], rev('nginx:1', 3)), { bump: r1 });
  const c = rev('nginx:3', 3);
  assert.deepEqual(findUpdateRevision([r1, r2], c), { create: c });
});

test('truncation keeps live revisions and the newest history up to the limit', () => {
  const rs = [1, 2, 3, 4, 5].map((n) => rev(`nginx:${n}`, n));
  const live = new Set([rs[4].metadata.name!, rs[1].metadata.name!]);
  assert.deepEqual(
    revisionsToTruncate(rs, live, 1).map((r) => r.revision),
    [1, 3],
  );
  assert.deepEqual(revisionsToTruncate(rs, live, 10), []);
});
