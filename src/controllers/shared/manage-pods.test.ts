// Creates and deletes under expectations: what is released from the expectations when writes fail, and which errors count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControllerExpectations } from './expectations';
import { createPodsSlowStart, deletePodsAwaited } from './manage-pods';
import type { PodControl } from './pod-control';
import type { Pod } from './types';

const clock = { now: () => 0, setTimeout: () => ({ cancel() {} }) };
const pod = (name: string): Pod => ({ metadata: { name, namespace: 'ns' }, spec: { containers: [] } });

test('a failing create stops the slow start; the failed and untried creates are no longer awaited', async () => {
  const e = new ControllerExpectations(clock);
  e.expectCreations('ns/rs', 7);
  const tried: number[] = [];
  const res = await createPodsSlowStart(e, 'ns/rs', [0, 1, 2, 3, 4, 5, 6], async (i) => {
    tried.push(i);
    if (i === 2) throw new Error('quota');
  });
  assert.deepEqual(tried, [0, 1, 2], 'batches of 1 then 2; the batch with the error is the last');
  assert.equal(res.successes, 2);
  assert.equal((res.error as Error).message, 'quota');
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), false);
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), true, 'only the two created pods are still awaited');
});

test('a terminating namespace refusing creates is not an error', async () => {
  const e = new ControllerExpectations(clock);
  const terminating = Object.assign(new Error('forbidden'), { code: 403, details: { causes: [{ reason: 'NamespaceTerminating' }] } });
  const res = await createPodsSlowStart(e, 'ns/rs', [1, 2], async () => Promise.reject(terminating));
  assert.deepEqual(res, { successes: 2 });
});

test('deletes: NotFound counts as done, other failures are released and the first is returned', async () => {
  const e = new ControllerExpectations(clock);
  e.expectDeletions('ns/rs', ['ns/a', 'ns/b', 'ns/c']);
  const control: PodControl = {
    createPods: async () => {},
    deletePod: async (_ns, name) => {
      if (name === 'b') throw Object.assign(new Error('gone'), { code: 404 });
      if (name === 'c') throw new Error('boom');
    },
  };
  const err = await deletePodsAwaited(control, e, 'ns/rs', pod('owner'), [pod('a'), pod('b'), pod('c')]);
  assert.equal((err as Error).message, 'boom');
  assert.equal(e.satisfied('ns/rs'), false, 'a is still awaited');
  e.deletionObserved('ns/rs', 'ns/a');
  assert.equal(e.satisfied('ns/rs'), true);
});
