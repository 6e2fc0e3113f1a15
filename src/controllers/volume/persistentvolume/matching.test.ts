// Tests of claim-to-volume matching: class, modes, size, selector, pre-binding and delayed binding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkVolumeSatisfyClaim, defaultClass, findBestMatchForClaim, isDelayBindingMode } from './matching';
import { pv, pvc, ref, sc } from './testdata';

const best = (claim: ReturnType<typeof pvc>, volumes: ReturnType<typeof pv>[], delay = false) => findBestMatchForClaim(claim, volumes, delay)?.metadata.name;

test('the smallest sufficient Available volume wins', () => {
  assert.equal(best(pvc('c', '1Gi'), [pv('big', '10Gi'), pv('small', '512Mi'), pv('fit', '2Gi'), pv('exact', '1Gi')]), 'exact');
  assert.equal(best(pvc('c', '3Gi'), [pv('a', '2Gi')]), undefined);
});

test('storage class must be equal, empty matching empty only', () => {
  assert.equal(best(pvc('c', '1Gi'), [pv('fast', '1Gi', { cls: 'fast' })]), undefined);
  assert.equal(best(pvc('c', '1Gi', { cls: 'fast' }), [pv('none', '1Gi'), pv('fast', '5Gi', { cls: 'fast' })]), 'fast');
  assert.equal(best(pvc('c', '1Gi', { cls: '' }), [pv('none', '1Gi')]), 'none');
});

test('access modes: a superset is required, the fewest modes preferred over the smallest size', () => {
  assert.equal(best(pvc('c', '1Gi', { modes: ['ReadWriteMany'] }), [pv('rwo', '1Gi')]), undefined);
  const vols = [pv('multi', '1Gi', { modes: ['ReadWriteOnce', 'ReadOnlyMany'] }), pv('rwo', '5Gi')];
  assert.equal(best(pvc('c', '1Gi'), vols), 'rwo');
  assert.equal(best(pvc('c', '1Gi', { modes: ['ReadOnlyMany'] }), vols), 'multi');
});

test('volume mode, selector, phase and deletion filter volumes', () => {
  assert.equal(best(pvc('c', '1Gi', { mode: 'Block' }), [pv('fs', '1Gi')]), undefined);
  assert.equal(best(pvc('c', '1Gi', { mode: 'Block' }), [pv('blk', '1Gi', { mode: 'Block' })]), 'blk');
  const sel = { matchLabels: { tier: 'db' } };
  assert.equal(best(pvc('c', '1Gi', { selector: sel }), [pv('plain', '1Gi'), pv('db', '2Gi', { labels: { tier: 'db' } })]), 'db');
  assert.equal(best(pvc('c', '1Gi'), [pv('pending', '1Gi', { phase: 'Pending' }), pv('released', '1Gi', { phase: 'Released' })]), undefined);
  const dying = pv('dying', '1Gi');
  dying.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  assert.equal(best(pvc('c', '1Gi'), [dying]), undefined);
});

test('a volume pre-bound to the claim wins even when bigger, not Available, or delayed; one pre-bound elsewhere is skipped', () => {
  const vols = [pv('small', '1Gi'), pv('mine', '9Gi', { claimRef: ref('c'), phase: 'Pending', cls: 'other' })];
  assert.equal(best(pvc('c', '1Gi'), vols), 'mine');
  assert.equal(best(pvc('c', '1Gi'), vols, true), 'mine');
  assert.equal(best(pvc('d', '1Gi'), [pv('theirs', '1Gi', { claimRef: ref('c') })]), undefined);
  assert.equal(best(pvc('c', '1Gi'), [pv('old', '1Gi', { claimRef: ref('c', 'another-uid') })]), undefined);
});

test('WaitForFirstConsumer leaves unbound volumes to the scheduler', () => {
  assert.equal(best(pvc('c', '1Gi', { cls: 'local' }), [pv('v', '1Gi', { cls: 'local' })], true), undefined);
  const classes = [sc('local', 'WaitForFirstConsumer'), sc('fast')];
  assert.equal(isDelayBindingMode(pvc('c', '1Gi', { cls: 'local' }), classes), true);
  assert.equal(isDelayBindingMode(pvc('c', '1Gi', { cls: 'fast' }), classes), false);
  assert.equal(isDelayBindingMode(pvc('c', '1Gi', { cls: 'missing' }), classes), false);
  assert.equal(isDelayBindingMode(pvc('c', '1Gi'), classes), false);
});

test('checkVolumeSatisfyClaim gives upstream reasons', () => {
  assert.equal(checkVolumeSatisfyClaim(pv('v', '1Gi'), pvc('c', '1Gi')), undefined);
  assert.equal(checkVolumeSatisfyClaim(pv('v', '1Gi'), pvc('c', '2Gi')), 'requested PV is too small');
  assert.equal(checkVolumeSatisfyClaim(pv('v', '1Gi', { cls: 'x' }), pvc('c', '1Gi')), 'storageClassName does not match');
  assert.equal(checkVolumeSatisfyClaim(pv('v', '1Gi'), pvc('c', '1Gi', { mode: 'Block' })), 'incompatible volumeMode');
  assert.equal(checkVolumeSatisfyClaim(pv('v', '1Gi'), pvc('c', '1Gi', { modes: ['ReadWriteMany'] })), 'incompatible accessMode');
});

test('the default class is the newest annotated one', () => {
  assert.equal(defaultClass([sc('a'), sc('b')]), undefined);
  assert.equal(defaultClass([sc('old', 'Immediate', true, 'p', '2026-01-01T00:00:00Z'), sc('new', 'Immediate', true, 'p', '2026-02-01T00:00:00Z'), sc('plain')])?.metadata.name, 'new');
});
