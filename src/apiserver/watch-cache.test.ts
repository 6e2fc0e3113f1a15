// Tests of the watch cache's compact form (Events kept as stored text): reads, selectors and watches see whole objects.
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

test('Events kept as text are listed, selected, read and watched like decoded objects', async () => {
  const t = await startTestApi();
  try {
    const events = t.client.resource(R.events);
    const seen: { type: string; object: KObject }[] = [];
    const w = events.watch('default', { resourceVersion: '0' }, (ev) => seen.push(ev), () => {});
    const a = await events.create('default', event('a', 'p1'));
    await events.create('default', event('b', 'p2'));
    const cached = t.api.cache.cacheFor('/registry/core/events/').objects.get('/registry/core/events/default/a')!;
    assert.equal(cached.obj.metadata.resourceVersion, a.metadata.resourceVersion);
    assert.notEqual(cached.obj, cached.obj, 'each read decodes a fresh copy, so no reader can change another');
    assert.deepEqual(JSON.parse(cached.json), cached.obj);

    const list = await events.list('default', { fieldSelector: 'involvedObject.name=p1' });
    assert.deepEqual(list.items.map((e) => [e.metadata.name, e.message, e.metadata.resourceVersion]), [['a', 'Started container of p1', a.metadata.resourceVersion]]);
    assert.equal((await events.get('default', 'b')).involvedObject.name, 'p2');

    await events.patch('default', 'a', 'merge', { count: 2 });
    await events.delete('default', 'b');
    const deadline = Date.now() + 5000;
    while (seen.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    w.stop();
    assert.deepEqual(
      seen.map((e) => [e.type, e.object.metadata.name, e.object.count]),
      [
        ['ADDED', 'a', 1],
        ['ADDED', 'b', 1],
        ['MODIFIED', 'a', 2],
        ['DELETED', 'b', 1],
      ],
    );
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
