// Tests of the claim and volume sync decisions and of the objects a binding writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../types';
import { bindClaimToVolume, bindVolumeToClaim, claimStatusFor, decideClaim, decideReclaim, decideVolume, unboundVolume, volumePhaseStatus } from './decide';
import { pv, pvc, ref, sc } from './testdata';

const view = (volumes: PersistentVolume[], classes: StorageClass[] = [], unscheduledPods: string[] = []) => ({
  volumes,
  volume: (n: string) => volumes.find((v) => v.metadata.name === n),
  classes,
  unscheduledPods,
});
const bound = (c: PersistentVolumeClaim, volumeName?: string) => {
  c.metadata.annotations = { ...c.metadata.annotations, 'pv.kubernetes.io/bind-completed': 'yes' };
  c.spec.volumeName = volumeName;
  c.status = { phase: 'Bound' };
  return c;
};

test('an unbound claim binds to the matching volume', () => {
  const a = decideClaim(pvc('c', '1Gi'), view([pv('v', '1Gi')]));
  assert.equal(a.kind, 'bind');
  assert.equal(a.kind === 'bind' && a.volume.metadata.name, 'v');
});

test('no volume and no class: FailedBinding as upstream', () => {
  assert.deepEqual(decideClaim(pvc('c', '1Gi'), view([])), {
    kind: 'pending',
    event: { type: 'Normal', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' },
  });
});

test('a class-less claim gets the default class only when one exists; an explicit "" never does', () => {
  assert.deepEqual(decideClaim(pvc('c', '1Gi'), view([], [sc('std', 'Immediate', true)])), { kind: 'assignDefaultClass', className: 'std' });
  assert.equal(decideClaim(pvc('c', '1Gi', { cls: '' }), view([], [sc('std', 'Immediate', true)])).kind, 'pending');
  // A matching class-less volume is bound before any default is assigned.
  assert.equal(decideClaim(pvc('c', '1Gi'), view([pv('v', '1Gi')], [sc('std', 'Immediate', true)])).kind, 'bind');
});

test('a claim with a class and no volume goes to provisioning; WaitForFirstConsumer waits with upstream events', () => {
  assert.deepEqual(decideClaim(pvc('c', '1Gi', { cls: 'fast' }), view([], [sc('fast')])), { kind: 'provision' });
  const local = [sc('local', 'WaitForFirstConsumer')];
  assert.deepEqual(decideClaim(pvc('c', '1Gi', { cls: 'local' }), view([pv('v', '1Gi', { cls: 'local' })], local)), {
    kind: 'pending',
    event: { type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' },
  });
  assert.deepEqual(decideClaim(pvc('c', '1Gi', { cls: 'local' }), view([], local, ['web-0'])), {
    kind: 'pending',
    event: { type: 'Normal', reason: 'WaitForPodScheduled', message: 'waiting for pod web-0 to be scheduled' },
  });
  // Once the scheduler picked a node, the class's provisioner is asked.
  assert.deepEqual(decideClaim(pvc('c', '1Gi', { cls: 'local', annotations: { 'volume.kubernetes.io/selected-node': 'n1' } }), view([], local)), { kind: 'provision' });
});

test('a claim naming a volume: missing waits, unsuitable gives VolumeMismatch, taken gives FailedBinding', () => {
  assert.deepEqual(decideClaim(pvc('c', '1Gi', { volumeName: 'gone' }), view([])), { kind: 'pending' });
  assert.equal(decideClaim(pvc('c', '1Gi', { volumeName: 'v' }), view([pv('v', '1Gi', { phase: 'Pending' })])).kind, 'bind');
  assert.deepEqual(decideClaim(pvc('c', '5Gi', { volumeName: 'v' }), view([pv('v', '1Gi')])), {
    kind: 'pending',
    event: { type: 'Warning', reason: 'VolumeMismatch', message: 'Cannot bind to requested volume "v": requested PV is too small' },
  });
  assert.deepEqual(decideClaim(pvc('c', '1Gi', { volumeName: 'v' }), view([pv('v', '1Gi', { claimRef: ref('other', 'u2') })])), {
    kind: 'pending',
    event: { type: 'Warning', reason: 'FailedBinding', message: 'volume "v" already bound to a different claim.' },
  });
});

test('a bound claim whose volume is gone or taken is Lost', () => {
  const lost = decideClaim(bound(pvc('c', '1Gi'), 'v'), view([]));
  assert.deepEqual(lost, { kind: 'lost', event: { type: 'Warning', reason: 'ClaimLost', message: 'Bound claim has lost its PersistentVolume. Data on the volume is lost!' } });
  assert.equal(decideClaim(bound(pvc('c', '1Gi')), view([])).kind, 'lost');
  const mis = decideClaim(bound(pvc('c', '1Gi'), 'v'), view([pv('v', '1Gi', { claimRef: ref('other', 'u2'), phase: 'Bound' })]));
  assert.equal(mis.kind === 'lost' && mis.event.reason, 'ClaimMisbound');
  assert.equal(decideClaim(bound(pvc('c', '1Gi'), 'v'), view([pv('v', '1Gi', { claimRef: ref('c', 'uid-c'), phase: 'Bound' })])).kind, 'bind');
});

test('volume sync: unused Available, claim gone Released, bound Bound, controller-made stale binding undone', () => {
  assert.deepEqual(decideVolume(pv('v', '1Gi', { phase: 'Pending' }), undefined), { kind: 'phase', phase: 'Available' });
  assert.deepEqual(decideVolume(pv('v', '1Gi', { claimRef: ref('c') }), undefined), { kind: 'phase', phase: 'Available' });
  assert.deepEqual(decideVolume(pv('v', '1Gi', { claimRef: ref('c', 'uid-c') }), undefined), { kind: 'release' });
  assert.deepEqual(decideVolume(pv('v', '1Gi', { claimRef: ref('c', 'uid-c') }), bound(pvc('c', '1Gi'), 'v')), { kind: 'phase', phase: 'Bound' });
  assert.deepEqual(decideVolume(pv('v', '1Gi', { claimRef: ref('c', 'uid-c') }), pvc('c', '1Gi')), { kind: 'syncClaim' });
  const stale = pv('v', '1Gi', { claimRef: ref('c', 'uid-c') });
  stale.metadata.annotations = { 'pv.kubernetes.io/bound-by-controller': 'yes' };
  assert.deepEqual(decideVolume(stale, bound(pvc('c', '1Gi'), 'other')), { kind: 'unbind' });
  assert.equal(unboundVolume(stale).spec.claimRef, undefined);
  assert.deepEqual(decideVolume(pv('v', '1Gi', { claimRef: ref('c', 'uid-c') }), bound(pvc('c', '1Gi'), 'other')), { kind: 'phase', phase: 'Available' });
  assert.equal(decideVolume(pv('v', '1Gi', { claimRef: ref('c', 'uid-c'), mode: 'Block' }), pvc('c', '1Gi')).kind, 'modeMismatch');
});

test('reclaim: Retain keeps, hostPath Delete only under /tmp, Recycle has no recycler', () => {
  assert.deepEqual(decideReclaim(pv('v', '1Gi')), { kind: 'retain' });
  assert.deepEqual(decideReclaim(pv('v', '1Gi', { policy: 'Delete', path: '/tmp/vol' })), { kind: 'deleteHostPath', path: '/tmp/vol' });
  assert.deepEqual(decideReclaim(pv('v', '1Gi', { policy: 'Delete', path: '/data/vol' })), {
    kind: 'fail',
    reason: 'VolumeFailedDelete',
    message: 'host_path deleter only supports /tmp/.+ but received provided /data/vol',
  });
  assert.deepEqual(decideReclaim(pv('v', '1Gi', { policy: 'Recycle' })), { kind: 'fail', reason: 'VolumeFailedRecycle', message: 'No recycler plugin found for the volume!' });
  const nfs = pv('v', '1Gi', { policy: 'Delete' });
  delete nfs.spec.hostPath;
  nfs.spec.nfs = { server: 's', path: '/x' };
  assert.equal(decideReclaim(nfs).kind, 'fail');
  nfs.metadata.annotations = { 'pv.kubernetes.io/provisioned-by': 'nfs.csi.k8s.io' };
  assert.deepEqual(decideReclaim(nfs), { kind: 'external' });
});

test('binding writes claimRef, annotations and statuses as upstream, and is idempotent', () => {
  const claim = pvc('c', '1Gi');
  const vol = bindVolumeToClaim(pv('v', '2Gi'), claim)!;
  assert.deepEqual(vol.spec.claimRef, { kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'c', uid: 'uid-c', apiVersion: 'v1', resourceVersion: '1' });
  assert.equal(vol.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  assert.equal(bindVolumeToClaim(vol, claim), undefined);
  // Pre-bound by the user (name only): the UID is filled in without the controller annotation.
  const pre = bindVolumeToClaim(pv('v', '2Gi', { claimRef: ref('c') }), claim)!;
  assert.equal(pre.spec.claimRef?.uid, 'uid-c');
  assert.equal(pre.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined);

  const c2 = bindClaimToVolume(claim, vol)!;
  assert.equal(c2.spec.volumeName, 'v');
  assert.deepEqual(c2.metadata.annotations, { 'pv.kubernetes.io/bound-by-controller': 'yes', 'pv.kubernetes.io/bind-completed': 'yes' });
  assert.equal(bindClaimToVolume(c2, vol), undefined);
  assert.deepEqual(bindClaimToVolume(pvc('c', '1Gi', { volumeName: 'v' }), vol)!.metadata.annotations, { 'pv.kubernetes.io/bind-completed': 'yes' });

  assert.deepEqual(claimStatusFor(c2, 'Bound', vol), { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });
  assert.equal(claimStatusFor({ ...c2, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } } }, 'Bound', vol), undefined);
  assert.deepEqual(claimStatusFor({ ...c2, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } } }, 'Lost', undefined), { phase: 'Lost' });

  assert.deepEqual(volumePhaseStatus(vol, 'Bound', '', Date.UTC(2026, 0, 1)), { phase: 'Bound', lastPhaseTransitionTime: '2026-01-01T00:00:00Z' });
  assert.equal(volumePhaseStatus(vol, 'Available', '', 0), undefined);
});
