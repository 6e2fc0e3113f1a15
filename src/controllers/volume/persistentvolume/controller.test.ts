// In-process tests of the PersistentVolume controller and the protection controllers against a real API server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { R } from '../../../client/types';
import type { Client } from '../../../client/types';
import { startTestbed, until } from '../../testing';
import type { Pod } from '../../shared/types';
import { startVolumeControllers } from '..';
import type { PersistentVolume, PersistentVolumeClaim } from '../types';
import { pv, pvc } from './testdata';

// Objects as a user creates them: no uid, resourceVersion or status.
const fresh = <T extends PersistentVolume | PersistentVolumeClaim>(o: T): T => {
  const c = structuredClone(o);
  delete c.metadata.uid;
  delete c.metadata.resourceVersion;
  delete c.status;
  return c;
};

async function withControllers(fn: (client: Client) => Promise<void>): Promise<void> {
  const tb = await startTestbed();
  const ctl = startVolumeControllers(tb.deps);
  try {
    await tb.client.resource(R.namespaces).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
    await fn(tb.client);
  } finally {
    ctl.stop();
    await tb.close();
  }
}

const pvs = (c: Client) => c.resource<PersistentVolume>(R.persistentvolumes);
const pvcs = (c: Client) => c.resource<PersistentVolumeClaim>(R.persistentvolumeclaims);
const gone = (p: Promise<unknown>) => p.then(() => false, (e) => e.code === 404);
const events = async (c: Client, ns: string) => (await c.resource(R.events).list(ns)).items.map((e) => `${e.involvedObject.name} ${e.reason}: ${e.message}`);

test('a claim binds to the best volume, both get upstream fields and finalizers; deleting the claim releases a Retain volume', async () => {
  await withControllers(async (c) => {
    await pvs(c).create('', fresh(pv('big', '10Gi')));
    await pvs(c).create('', fresh(pv('fit', '2Gi')));
    await until('volumes Available', async () => (await pvs(c).get('', 'fit')).status?.phase === 'Available');
    await pvcs(c).create('ns', fresh(pvc('data', '1Gi')));
    await until('claim Bound', async () => (await pvcs(c).get('ns', 'data')).status?.phase === 'Bound');
    const claim = await pvcs(c).get('ns', 'data');
    const vol = await pvs(c).get('', 'fit');
    assert.equal(claim.spec.volumeName, 'fit');
    assert.equal(claim.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(claim.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.deepEqual(claim.status?.capacity, { storage: '2Gi' });
    assert.deepEqual(claim.status?.accessModes, ['ReadWriteOnce']);
    assert.equal(vol.status?.phase, 'Bound');
    assert.equal(vol.spec.claimRef?.uid, claim.metadata.uid);
    assert.equal(vol.spec.claimRef?.kind, 'PersistentVolumeClaim');
    assert.equal(vol.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    await until('finalizers', async () =>
      !!(await pvcs(c).get('ns', 'data')).metadata.finalizers?.includes('kubernetes.io/pvc-protection') &&
      !!(await pvs(c).get('', 'fit')).metadata.finalizers?.includes('kubernetes.io/pv-protection'),
    );
    assert.equal((await pvs(c).get('', 'big')).status?.phase, 'Available');

    await pvcs(c).delete('ns', 'data');
    await until('claim gone', () => gone(pvcs(c).get('ns', 'data')));
    await until('volume Released', async () => (await pvs(c).get('', 'fit')).status?.phase === 'Released');
    assert.equal((await pvs(c).get('', 'fit')).spec.claimRef?.name, 'data');
  });
});

test('without a match the claim stays Pending with FailedBinding, and binds once a volume appears', async () => {
  await withControllers(async (c) => {
    await pvcs(c).create('ns', fresh(pvc('late', '1Gi')));
    await until('FailedBinding', async () => (await events(c, 'ns')).includes('late FailedBinding: no persistent volumes available for this claim and no storage class is set'));
    assert.equal((await pvcs(c).get('ns', 'late')).status?.phase, 'Pending');
    await pvs(c).create('', fresh(pv('v', '1Gi')));
    await until('claim Bound', async () => (await pvcs(c).get('ns', 'late')).status?.phase === 'Bound');
  });
});

test('Delete policy: a /tmp hostPath is removed with its volume; another path fails with VolumeFailedDelete', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-pv-'));
  await withControllers(async (c) => {
    await pvs(c).create('', fresh(pv('tmpvol', '1Gi', { policy: 'Delete', path: dir })));
    await pvs(c).create('', fresh(pv('datavol', '1Gi', { policy: 'Delete', path: '/data/vol', cls: 'manual' })));
    await pvcs(c).create('ns', fresh(pvc('a', '1Gi', { volumeName: 'tmpvol' })));
    await pvcs(c).create('ns', fresh(pvc('b', '1Gi', { cls: 'manual' })));
    await until('both Bound', async () => (await pvcs(c).get('ns', 'a')).status?.phase === 'Bound' && (await pvcs(c).get('ns', 'b')).status?.phase === 'Bound');
    // A user-named volume is not marked bound-by-controller on the claim.
    assert.equal((await pvcs(c).get('ns', 'a')).metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined);
    await pvcs(c).delete('ns', 'a');
    await pvcs(c).delete('ns', 'b');
    await until('tmp volume deleted', () => gone(pvs(c).get('', 'tmpvol')));
    assert.equal(existsSync(dir), false);
    await until('data volume Failed', async () => (await pvs(c).get('', 'datavol')).status?.phase === 'Failed');
    assert.equal((await pvs(c).get('', 'datavol')).status?.message, 'host_path deleter only supports /tmp/.+ but received provided /data/vol');
    await until('VolumeFailedDelete event', async () => (await events(c, 'default')).some((e) => e.startsWith('datavol VolumeFailedDelete: host_path deleter')));
  });
});

test('a claim used by a scheduled pod stays Terminating until the pod is gone; its volume, Released, can then be deleted', async () => {
  await withControllers(async (c) => {
    await pvs(c).create('', fresh(pv('v', '1Gi')));
    await pvcs(c).create('ns', fresh(pvc('used', '1Gi')));
    await until('claim Bound', async () => (await pvcs(c).get('ns', 'used')).status?.phase === 'Bound');
    await until('finalizer', async () => !!(await pvcs(c).get('ns', 'used')).metadata.finalizers?.length);
    const pods = c.resource<Pod>(R.pods);
    await pods.create('ns', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'app' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'used' } }] },
    });
    await pvcs(c).delete('ns', 'used');
    // The protection controller keeps it while the pod exists.
    await new Promise((r) => setTimeout(r, 300));
    const terminating = await pvcs(c).get('ns', 'used');
    assert.ok(terminating.metadata.deletionTimestamp);
    assert.equal((await pvs(c).get('', 'v')).status?.phase, 'Bound');
    // A bound volume is kept too.
    await pvs(c).delete('', 'v');
    await pods.delete('ns', 'app', { gracePeriodSeconds: 0 });
    await until('claim gone', () => gone(pvcs(c).get('ns', 'used')));
    // Released, the volume loses its protection and its pending deletion completes.
    await until('volume gone', () => gone(pvs(c).get('', 'v')));
  });
});

test('storage classes: WaitForFirstConsumer waits, an external provisioner is asked, an in-tree one is missing', async () => {
  await withControllers(async (c) => {
    const classes = c.resource(R.storageclasses);
    const mk = (name: string, provisioner: string, volumeBindingMode: string) =>
      classes.create('', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, volumeBindingMode });
    await mk('local', 'kubernetes.io/no-provisioner', 'WaitForFirstConsumer');
    await mk('nfs', 'example.com/nfs', 'Immediate');
    await mk('manual', 'kubernetes.io/no-provisioner', 'Immediate');
    await pvs(c).create('', fresh(pv('local-pv', '1Gi', { cls: 'local' })));
    await until('volume Available', async () => (await pvs(c).get('', 'local-pv')).status?.phase === 'Available');
    await pvcs(c).create('ns', fresh(pvc('wait', '1Gi', { cls: 'local' })));
    await pvcs(c).create('ns', fresh(pvc('ext', '1Gi', { cls: 'nfs' })));
    await pvcs(c).create('ns', fresh(pvc('none', '1Gi', { cls: 'manual' })));
    await until('events', async () => {
      const ev = await events(c, 'ns');
      return (
        ev.includes('wait WaitForFirstConsumer: waiting for first consumer to be created before binding') &&
        ev.includes(
          "ext ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'example.com/nfs' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
        ) &&
        ev.includes('none ProvisioningFailed: no volume plugin matched name: kubernetes.io/no-provisioner')
      );
    });
    const ext = await pvcs(c).get('ns', 'ext');
    assert.equal(ext.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], 'example.com/nfs');
    assert.equal(ext.metadata.annotations?.['volume.beta.kubernetes.io/storage-provisioner'], 'example.com/nfs');
    assert.equal((await pvcs(c).get('ns', 'wait')).status?.phase, 'Pending');
    assert.equal((await pvs(c).get('', 'local-pv')).status?.phase, 'Available');
  });
});

test('a bound claim whose volume disappears is Lost', async () => {
  await withControllers(async (c) => {
    await pvs(c).create('', fresh(pv('v', '1Gi')));
    await pvcs(c).create('ns', fresh(pvc('orphan', '1Gi')));
    await until('claim Bound', async () => (await pvcs(c).get('ns', 'orphan')).status?.phase === 'Bound');
    await until('pv finalizer', async () => !!(await pvs(c).get('', 'v')).metadata.finalizers?.length);
    await pvs(c).delete('', 'v');
    // An admin strips the protection of the bound volume.
    await pvs(c).patch('', 'v', 'merge', { metadata: { finalizers: null } });
    await until('claim Lost', async () => (await pvcs(c).get('ns', 'orphan')).status?.phase === 'Lost');
    const lost = await pvcs(c).get('ns', 'orphan');
    assert.equal(lost.status?.capacity, undefined);
    assert.equal(lost.status?.accessModes, undefined);
    await until('ClaimLost event', async () => (await events(c, 'ns')).includes('orphan ClaimLost: Bound claim has lost its PersistentVolume. Data on the volume is lost!'));
  });
});
