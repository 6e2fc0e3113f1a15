// Integration test of the ServiceAccount controller: every active namespace gets (and keeps) a default account.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/types';
import { startTestbed, Testbed, until } from '../testing';
import type { Controller } from '../types';
import { missingServiceAccounts, startServiceAccountController } from './index';

let tb: Testbed;
let c: Controller;
before(async () => {
  tb = await startTestbed();
  c = startServiceAccountController(tb.deps);
});
after(async () => {
  c?.stop();
  await tb?.close();
});

const hasDefault = async (ns: string) => (await tb.client.resource(R.serviceaccounts).list(ns)).items.some((s) => s.metadata.name === 'default');

test('only active namespaces lack accounts', () => {
  assert.deepEqual(missingServiceAccounts({ metadata: { name: 'a' }, status: { phase: 'Active' } }, () => false), ['default']);
  assert.deepEqual(missingServiceAccounts({ metadata: { name: 'a' }, status: { phase: 'Terminating' } }, () => false), []);
  assert.deepEqual(missingServiceAccounts({ metadata: { name: 'a' }, status: { phase: 'Active' } }, () => true), []);
});

test('existing and new namespaces get a default account, recreated when deleted', async () => {
  await until('default in kube-system', () => hasDefault('kube-system'));
  await tb.client.resource(R.namespaces).create('', { metadata: { name: 'team' } });
  await until('default in team', () => hasDefault('team'));
  await tb.client.resource(R.serviceaccounts).delete('team', 'default');
  await until('default recreated', () => hasDefault('team'));
});
