// Unit tests of the taints the node lifecycle controller keeps, and zone disruption states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/types';
import { computeZoneState, desiredNoScheduleTaints, noExecuteSwap, noScheduleTaintChanges, swapTaints, zoneKey } from './taints';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const node = (ready: string, extra: Partial<KObject> = {}): KObject => ({
  metadata: { name: 'n' },
  spec: {},
  status: { conditions: [{ type: 'Ready', status: ready }, { type: 'MemoryPressure', status: 'False' }] },
  ...extra,
});

test('conditions and cordoning map to NoSchedule taints', () => {
  assert.deepEqual(desiredNoScheduleTaints(node('True')), []);
  assert.deepEqual(desiredNoScheduleTaints(node('Unknown')), [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
  assert.deepEqual(desiredNoScheduleTaints(node('False', { spec: { unschedulable: true } })), [
    { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
  ]);
});

test('the NoSchedule pass only touches its own taints', () => {
  const n = node('True', {
    spec: {
      taints: [
        { key: 'gpu', value: 'true', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      ],
    },
  });
  const { add, remove } = noScheduleTaintChanges(n);
  assert.deepEqual(add, []);
  assert.deepEqual(remove, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
});

test('swapTaints stamps timeAdded on added taints and reports no change as undefined', () => {
  const swap = noExecuteSwap('Unknown')!;
  const taints = swapTaints([{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, { key: 'a', effect: 'NoSchedule' }], [swap.add], [swap.remove], T0);
  assert.deepEqual(taints, [
    { key: 'a', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2025-01-01T00:00:00Z' },
  ]);
  assert.equal(swapTaints(taints, [swap.add], [swap.remove], T0 + 5000), undefined);
  assert.equal(noExecuteSwap('True'), undefined);
  assert.equal(noExecuteSwap('False')!.add.key, 'node.kubernetes.io/not-ready');
});

test('zone states as upstream ComputeZoneState', () => {
  assert.equal(computeZoneState(['True', 'True', 'Unknown']), 'Normal');
  assert.equal(computeZoneState(['Unknown', undefined]), 'FullDisruption');
  assert.equal(computeZoneState(['True', 'False', 'False', 'Unknown']), 'PartialDisruption');
  assert.equal(computeZoneState(['True', 'True', 'False', 'False', 'Unknown', 'True', 'True']), 'Normal');
  assert.equal(zoneKey({ metadata: { labels: { 'topology.kubernetes.io/zone': 'a' } } }), ':\u0000:a');
  assert.equal(zoneKey({ metadata: {} }), '');
});
