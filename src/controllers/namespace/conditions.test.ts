// Tests of namespace deletion conditions: the OK set, remaining content and finalizers, failures, transition times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deletionConditions } from './conditions';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const empty = () => ({ remaining: new Map<string, number>(), finalizers: new Map<string, number>(), errors: [] as string[] });

test('an emptied namespace gets the five OK conditions', () => {
  const { conditions, changed } = deletionConditions(undefined, empty(), T0);
  assert.equal(changed, true);
  assert.deepEqual(
    conditions.map((c) => [c.type, c.status, c.reason]),
    [
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
    ],
  );
  assert.equal(deletionConditions(conditions, empty(), T0 + 5000).changed, false);
});

test('remaining content and finalizers read as upstream; the transition time moves with the status', () => {
  const first = deletionConditions(undefined, empty(), T0).conditions;
  const t = empty();
  t.remaining.set('pods.', 2);
  t.remaining.set('deployments.apps', 1);
  t.finalizers.set('example.com/hold', 1);
  const { conditions } = deletionConditions(first, t, T0 + 5000);
  const byType = new Map(conditions.map((c) => [c.type, c]));
  assert.equal(byType.get('NamespaceContentRemaining')!.message, 'Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances');
  assert.equal(byType.get('NamespaceContentRemaining')!.lastTransitionTime, '2024-01-01T00:00:05Z');
  assert.equal(byType.get('NamespaceFinalizersRemaining')!.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
  assert.equal(byType.get('NamespaceDeletionContentFailure')!.lastTransitionTime, '2024-01-01T00:00:00Z');
});

test('delete failures are counted and listed', () => {
  const t = empty();
  t.errors.push('b failed', 'a failed');
  const c = deletionConditions(undefined, t, T0).conditions.find((x) => x.type === 'NamespaceDeletionContentFailure')!;
  assert.deepEqual([c.status, c.reason, c.message], ['True', 'ContentDeletionFailed', 'Failed to delete all resource types, 2 remaining: a failed, b failed']);
});
