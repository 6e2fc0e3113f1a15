// Integration test of the namespace controller: a deleted namespace is emptied, gets its conditions, then goes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/types';
import { startTestbed, Testbed, until } from '../testing';
import type { Controller } from '../types';
import { startNamespaceController } from './index';

let tb: Testbed;
let c: Controller;
before(async () => {
  tb = await startTestbed();
  c = startNamespaceController(tb.deps);
});
after(async () => {
  c?.stop();
  await tb?.close();
});

test('content is deleted, objects holding finalizers keep the namespace, then it is finalized', async () => {
  const ns = tb.client.resource(R.namespaces);
  const cms = tb.client.resource(R.configmaps);
  await ns.create('', { metadata: { name: 'doomed' } });
  await cms.create('doomed', { metadata: { name: 'a' } });
  await cms.create('doomed', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
  await tb.client.resource(R.services).create('doomed', { metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
  await tb.client.resource(R.pods).create('doomed', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  await ns.delete('', 'doomed');
  await until('finalizers condition', async () => {
    const cur = await ns.get('', 'doomed');
    return (cur.status?.conditions ?? []).some((x: { type: string; status: string }) => x.type === 'NamespaceFinalizersRemaining' && x.status === 'True');
  });
  const cur = await ns.get('', 'doomed');
  const remaining = cur.status.conditions.find((x: { type: string }) => x.type === 'NamespaceContentRemaining');
  assert.equal(remaining.message, 'Some resources are remaining: configmaps. has 1 resource instances');
  assert.deepEqual((await cms.list('doomed')).items.map((x) => x.metadata.name), ['held']);
  assert.equal((await tb.client.resource(R.pods).list('doomed')).items.length, 0);
  await cms.patch('doomed', 'held', 'merge', { metadata: { finalizers: null } });
  await until('namespace gone', async () => !(await ns.list('')).items.some((x) => x.metadata.name === 'doomed'));
});
