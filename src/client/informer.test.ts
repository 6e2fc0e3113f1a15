// Informer and work queue against a real in-process API server (memory store).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, TestApi } from '../apiserver/testing';
import { Informer, keyOf } from './informer';
import { R } from './types';
import { WorkQueue, runWorkers } from './work-queue';

let t: TestApi;
before(async () => {
  t = await startTestApi();
});
after(async () => {
  await t.close();
});

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond());
};

test('an informer lists, then sees adds, updates and deletes; indexes follow', async () => {
  const cms = t.client.resource(R.configmaps);
  await cms.create('default', { metadata: { name: 'before', labels: { team: 'a' } }, data: { v: '1' } });
  const inf = new Informer(cms, { namespace: 'default' });
  const seen: string[] = [];
  inf.on({ add: (o) => seen.push(`add ${o.metadata.name}`), update: (_, o) => seen.push(`update ${o.metadata.name} ${o.data.v}`), delete: (o) => seen.push(`delete ${o.metadata.name}`) });
  inf.addIndex('team', (o) => [o.metadata.labels?.team ?? '']);
  await inf.start();
  await inf.waitForSync();
  assert.deepEqual(seen, ['add before']);
  await cms.create('default', { metadata: { name: 'after', labels: { team: 'a' } }, data: { v: '1' } });
  await cms.patch('default', 'before', 'merge', { data: { v: '2' } });
  await cms.delete('default', 'after');
  await until(() => seen.length === 4);
  assert.deepEqual(seen, ['add before', 'add after', 'update before 2', 'delete after']);
  assert.deepEqual(inf.byIndex('team', 'a').map(keyOf), ['default/before']);
  inf.stop();
});

test('byIndex gives one frozen array until a member changes, with the newest objects, and forgets emptied values', async () => {
  const cms = t.client.resource(R.configmaps);
  await cms.create('default', { metadata: { name: 'idx-1', labels: { tier: 'x' } }, data: { v: '1' } });
  const inf = new Informer(cms, { namespace: 'default' });
  inf.addIndex('tier', (o) => (o.metadata.labels?.tier ? [o.metadata.labels.tier] : []));
  await inf.start();
  await inf.waitForSync();
  const first = inf.byIndex('tier', 'x');
  assert.equal(inf.byIndex('tier', 'x'), first);
  assert.ok(Object.isFrozen(first));
  await cms.patch('default', 'idx-1', 'merge', { data: { v: '2' } });
  await until(() => inf.byIndex('tier', 'x')[0]?.data.v === '2');
  assert.notEqual(inf.byIndex('tier', 'x'), first);
  await cms.patch('default', 'idx-1', 'merge', { metadata: { labels: { tier: 'y' } } });
  await until(() => inf.byIndex('tier', 'y').length === 1);
  assert.deepEqual(inf.byIndex('tier', 'x'), []);
  inf.stop();
});

test('the work queue dedups keys and retries failures with backoff', async () => {
  const q = new WorkQueue();
  const calls: string[] = [];
  let failOnce = true;
  q.add('a');
  q.add('a');
  q.add('b');
  const running = runWorkers(q, 2, async (key) => {
    calls.push(key);
    if (key === 'b' && failOnce) {
      failOnce = false;
      throw new Error('boom');
    }
  }, () => undefined);
  await until(() => calls.length === 3);
  assert.deepEqual(calls.sort(), ['a', 'b', 'b']);
  q.shutdown();
  await running;
});
