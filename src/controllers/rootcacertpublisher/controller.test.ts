// Tests of the root CA publisher: every active namespace gets kube-root-ca.crt, and edits or deletes are undone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/types';
import { startTestbed, Testbed, until } from '../testing';
import type { Controller } from '../types';
import { rootCAAction, rootCAConfigMap, startRootCACertPublisher } from './index';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
let tb: Testbed;
let c: Controller;
before(async () => {
  tb = await startTestbed();
  c = startRootCACertPublisher(tb.deps, CA);
});
after(async () => {
  c?.stop();
  await tb?.close();
});

const caIn = async (ns: string) => {
  const cm = await tb.client.resource(R.configmaps).get(ns, 'kube-root-ca.crt').catch(() => undefined);
  return cm?.data?.['ca.crt'] === CA && Object.keys(cm.data).length === 1;
};

test('actions: create when missing, update when changed, nothing for terminating namespaces', () => {
  const active = { metadata: { name: 'a' }, status: { phase: 'Active' } };
  assert.equal(rootCAAction(active, undefined, CA), 'create');
  assert.equal(rootCAAction(active, rootCAConfigMap(CA), CA), 'none');
  assert.equal(rootCAAction(active, { ...rootCAConfigMap(CA), data: { 'ca.crt': 'x' } }, CA), 'update');
  assert.equal(rootCAAction({ metadata: { name: 'a' }, status: { phase: 'Terminating' } }, undefined, CA), 'none');
});

test('namespaces get the CA; a deleted or edited ConfigMap is put back', async () => {
  await until('CA in default', () => caIn('default'));
  await tb.client.resource(R.namespaces).create('', { metadata: { name: 'team' } });
  await until('CA in team', () => caIn('team'));
  const cm = await tb.client.resource(R.configmaps).get('team', 'kube-root-ca.crt');
  await tb.client.resource(R.configmaps).update('team', { ...cm, data: { 'ca.crt': 'tampered' } });
  await until('CA restored', () => caIn('team'));
  await tb.client.resource(R.configmaps).delete('team', 'kube-root-ca.crt');
  await until('CA recreated', () => caIn('team'));
});
