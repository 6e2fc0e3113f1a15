// pods/binding through the in-process client: assignment, the PodScheduled condition, and upstream's refusals.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { R } from '../../client/types';
import type { StatusError } from '../../machinery/errors';
import { startTestApi, TestApi } from '../testing';
import { setPodScheduled } from './binding';

let t: TestApi;
before(async () => {
  t = await startTestApi();
});
after(async () => {
  await t.close();
});

const pods = () => t.client.resource(R.pods);
const pod = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
const binding = (name: string, node: string, extra: Partial<KObject['metadata']> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Binding',
  metadata: { name, ...extra },
  target: { apiVersion: 'v1', kind: 'Node', name: node },
});
const failure = async (p: Promise<unknown>): Promise<StatusError> => {
  try {
    await p;
  } catch (e) {
    return e as StatusError;
  }
  throw new Error('expected a failure');
};

test('a binding sets spec.nodeName and PodScheduled=True and answers with a Success Status', async () => {
  const created = await pods().create('default', pod('b1'));
  const res = await pods().createSubresource('default', 'b1', 'binding', binding('b1', 'node-a', { uid: created.metadata.uid, annotations: { note: 'x' } }));
  assert.deepEqual(res, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  const got = await pods().get('default', 'b1');
  assert.equal(got.spec.nodeName, 'node-a');
  assert.equal(got.metadata.annotations?.note, 'x');
  const cond = got.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled');
  assert.equal(cond.status, 'True');
  assert.equal(cond.lastProbeTime, null);
  assert.ok(cond.lastTransitionTime);
  assert.notEqual(got.metadata.resourceVersion, created.metadata.resourceVersion);
});

test('binding a bound pod is a 409 naming the node', async () => {
  const err = await failure(pods().createSubresource('default', 'b1', 'binding', binding('b1', 'node-b')));
  assert.equal(err.code, 409);
  assert.equal(err.message, 'Operation cannot be fulfilled on pods/binding "b1": pod b1 is already assigned to node "node-a"');
});

test('a stale uid precondition is a 409 and nothing changes', async () => {
  await pods().create('default', pod('b2'));
  const err = await failure(pods().createSubresource('default', 'b2', 'binding', binding('b2', 'node-a', { uid: 'other' })));
  assert.equal(err.code, 409);
  assert.match(err.message, /Precondition failed: UID in precondition: other/);
  assert.equal((await pods().get('default', 'b2')).spec.nodeName, undefined);
});

test('bad bindings: missing target name 422, name mismatch 400, unknown pod 404, dry run writes nothing', async () => {
  const noTarget = await failure(pods().createSubresource('default', 'b2', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'b2' }, target: {} }));
  assert.equal(noTarget.code, 422);
  assert.match(noTarget.message, /target.name: Required value/);
  const mismatch = await failure(pods().createSubresource('default', 'b2', 'binding', binding('other', 'node-a')));
  assert.equal(mismatch.code, 400);
  const missing = await failure(pods().createSubresource('default', 'nope', 'binding', binding('nope', 'node-a')));
  assert.equal(missing.code, 404);
  await pods().createSubresource('default', 'b2', 'binding', binding('b2', 'node-a'), { dryRun: true });
  assert.equal((await pods().get('default', 'b2')).spec.nodeName, undefined);
});

test('setPodScheduled keeps the transition time when the status stays True and replaces a False condition', () => {
  const kept = setPodScheduled([{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }], Date.UTC(2024, 0, 1));
  assert.equal(kept[0].lastTransitionTime, '2020-01-01T00:00:00Z');
  const flipped = setPodScheduled([{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm', lastTransitionTime: '2020-01-01T00:00:00Z' }], Date.UTC(2024, 0, 1));
  assert.deepEqual(flipped, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:00Z' }]);
});
