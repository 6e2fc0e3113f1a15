// Tests of the watch cache: Events served from the store (reads, selectors, watches), shared managedFields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../api/types';
import { R } from '../client/types';
import { startTestApi } from './testing';

const event = (name: string, pod: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name, namespace: 'default' },
  involvedObject: { kind: 'Pod', name: pod, namespace: 'default' },
  reason: 'Started',
  message: `Started container of ${pod}`,
  type: 'Normal',
  count: 1,
});

test('Events are served from the store, not memory: listed, selected, read and watched like cached objects', async () => {
  const t = await startTestApi();
  try {
    const events = t.client.resource(R.events);
    const before = await events.create('default', event('before', 'p0'));
    const seen: { type: string; object: KObject }[] = [];
    const w = events.watch('default', { resourceVersion: '0' }, (ev) => seen.push(ev), () => {});
    const a = await events.create('default', event('a', 'p1'));
    await events.create('default', event('b', 'p2'));
    const rc = t.api.cache.cacheFor('/registry/core/events/');
    assert.equal(rc.held, false);
    assert.equal(rc.objects.size, 0, 'the cache keeps no Event');

    const list = await events.list('default', { fieldSelector: 'involvedObject.name=p1' });
    assert.deepEqual(list.items.map((e) => [e.metadata.name, e.message, e.metadata.resourceVersion]), [['a', 'Started container of p1', a.metadata.resourceVersion]]);
    assert.equal((await events.list('', {})).items.length, 3);
    assert.equal((await events.get('default', 'b')).involvedObject.name, 'p2');
    await assert.rejects(events.get('default', 'nope'), /events "nope" not found/);

    await events.patch('default', 'a', 'merge', { count: 2 });
    await events.delete('default', 'b');
    const deadline = Date.now() + 5000;
    while (seen.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    w.stop();
    assert.deepEqual(
      seen.map((e) => [e.type, e.object.metadata.name, e.object.count]),
      [
        ['ADDED', 'before', 1],
        ['ADDED', 'a', 1],
        ['ADDED', 'b', 1],
        ['MODIFIED', 'a', 2],
        ['DELETED', 'b', 1],
      ],
    );

    // A watch from a resourceVersion replays the changes after it from the recent history.
    const replayed: string[] = [];
    const w2 = events.watch('default', { resourceVersion: before.metadata.resourceVersion }, (ev) => replayed.push(`${ev.type} ${ev.object.metadata.name}`), () => {});
    const until = Date.now() + 5000;
    while (replayed.length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    w2.stop();
    assert.deepEqual(replayed, ['ADDED a', 'ADDED b', 'MODIFIED a', 'DELETED b']);
  } finally {
    await t.close();
  }
});

test('cached objects of one shape share their managedFields field sets, which still serialize in full', async () => {
  const t = await startTestApi();
  try {
    const cms = t.client.resource(R.configmaps);
    for (const name of ['one', 'two']) await cms.create('default', { metadata: { name, labels: { app: 'x' } }, data: { k: name } });
    const cached = (name: string) => t.api.cache.cacheFor('/registry/core/configmaps/').objects.get(`/registry/core/configmaps/default/${name}`)!;
    const [a, b] = [cached('one'), cached('two')];
    assert.equal(a.obj.metadata.managedFields![0].fieldsV1, b.obj.metadata.managedFields![0].fieldsV1);
    assert.deepEqual(JSON.parse(b.json).metadata.managedFields[0].fieldsV1, { 'f:data': { '.': {}, 'f:k': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } });
  } finally {
    await t.close();
  }
});
