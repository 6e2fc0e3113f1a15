// Tests of the protection controllers' decisions: finalizer candidates and which pods use a claim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../shared/types';
import { pvc } from '../persistentvolume/testdata';
import { isDeletionCandidate, needToAddFinalizer, podUsesClaim, volumeInUse, withFinalizer } from './decide';

const F = 'kubernetes.io/pvc-protection';
const pod = (extra: Partial<Pod['spec']> = {}, status?: Pod['status']): Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'pod-uid' },
  spec: { containers: [{ name: 'c' }], nodeName: 'n1', volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'c' } }], ...extra },
  status,
});

test('finalizers are added to live objects and removed only from deleted ones', () => {
  const claim = pvc('c', '1Gi');
  assert.equal(needToAddFinalizer(claim, F), true);
  const withF = withFinalizer(claim, F, true);
  assert.deepEqual(withF.metadata.finalizers, [F]);
  assert.equal(claim.metadata.finalizers, undefined);
  assert.equal(needToAddFinalizer(withF, F), false);
  assert.equal(isDeletionCandidate(withF, F), false);
  withF.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  assert.equal(isDeletionCandidate(withF, F), true);
  assert.deepEqual(withFinalizer(withF, F, false).metadata.finalizers, []);
});

test('a scheduled pod uses its claim until it is gone; an unscheduled one does not', () => {
  const claim = pvc('c', '1Gi');
  assert.equal(podUsesClaim(pod(), claim), true);
  assert.equal(podUsesClaim(pod({}, { phase: 'Succeeded' }), claim), true);
  assert.equal(podUsesClaim(pod({ nodeName: undefined }), claim), false);
  assert.equal(podUsesClaim(pod(), pvc('other', '1Gi')), false);
});

test('a generic ephemeral claim is used only by its own running pod', () => {
  const claim = pvc('p-scratch', '1Gi');
  claim.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'pod-uid', controller: true }];
  const eph = { volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }] };
  assert.equal(podUsesClaim(pod(eph), claim), true);
  assert.equal(podUsesClaim(pod(eph, { phase: 'Failed' }), claim), false);
  claim.metadata.ownerReferences = [];
  assert.equal(podUsesClaim(pod(eph), claim), false);
});

test('a volume is in use while Bound', () => {
  assert.equal(volumeInUse({ metadata: { name: 'v' }, spec: {}, status: { phase: 'Bound' } }), true);
  assert.equal(volumeInUse({ metadata: { name: 'v' }, spec: {}, status: { phase: 'Released' } }), false);
});
