// Creating and deleting a controller's pods under its expectations: slow-start creates, parallel deletes, every failure released from the expectations.
import type { KObject } from '../../api/types';
import { hasStatusCause, isNotFound, NAMESPACE_TERMINATING_CAUSE } from './errors';
import type { ControllerExpectations } from './expectations';
import type { PodControl } from './pod-control';
import { podKey } from './pod-util';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from './slow-start';
import type { Pod } from './types';

/**
 * Creates one pod per item in slow-start batches (upstream's create loop of the ReplicaSet, DaemonSet and Job
 * controllers). A terminating namespace's refusal counts as done (every create would fail alike); creates that failed
 * or were never tried are released from `key`'s awaited creations. Returns how many succeeded and the first error.
 */
export async function createPodsSlowStart<I>(expectations: ControllerExpectations, key: string, items: I[], create: (item: I) => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let next = 0;
  const res = await slowStartBatch(items.length, SLOW_START_INITIAL_BATCH_SIZE, async () => {
    const item = items[next++];
    try {
      await create(item);
    } catch (e) {
      if (!hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) throw e;
    }
  });
  for (let i = res.successes; i < items.length; i++) expectations.creationObserved(key);
  return res;
}

/** Deletes `pods` of `owner` in parallel; a delete that fails is released from `key`'s awaited deletions. Returns the first error other than NotFound. */
export async function deletePodsAwaited(control: PodControl, expectations: ControllerExpectations, key: string, owner: KObject, pods: Pod[]): Promise<unknown> {
  let error: unknown;
  await Promise.all(
    pods.map(async (p) => {
      try {
        await control.deletePod(p.metadata.namespace!, p.metadata.name!, owner);
      } catch (e) {
        expectations.deletionObserved(key, podKey(p));
        if (!isNotFound(e)) error ??= e;
      }
    }),
  );
  return error;
}
