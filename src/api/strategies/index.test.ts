// Every served resource has a strategy whose table rows match its columns, and the two converted versions have bindings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../kinds';
import { conversionFor, strategyFor } from './index';

test('every served kind has validation and a table', () => {
  for (const r of builtinResources()) {
    const s = r.strategy;
    assert.ok(s.validate, `${r.group}/${r.kind} validates`);
    assert.ok(s.columns && s.row, `${r.group}/${r.kind} has a table`);
    const obj = { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, metadata: { name: 'x', namespace: r.namespaced ? 'default' : undefined, creationTimestamp: '2024-01-01T00:00:00Z' } };
    assert.equal(s.row!(obj, Date.parse('2024-01-02T00:00:00Z')).length, s.columns!.length, `${r.group}/${r.kind} row width`);
  }
});

test('conversions exist exactly for HPA v1 and events.k8s.io', () => {
  assert.equal(conversionFor('autoscaling', 'v1', 'HorizontalPodAutoscaler')?.version, 'v2');
  assert.equal(conversionFor('events.k8s.io', 'v1', 'Event')?.group, '');
  assert.equal(conversionFor('autoscaling', 'v2', 'HorizontalPodAutoscaler'), undefined);
  assert.deepEqual(strategyFor('example.com', 'Widget'), {});
});
