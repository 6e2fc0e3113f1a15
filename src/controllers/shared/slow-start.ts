// Slow-start batching: run a call in batches of 1, 2, 4, … so a failing create (quota, admission) fails once, not hundreds of times.

/** Upstream SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/** Runs `fn` `count` times in doubling parallel batches, stopping after the first batch with an error. */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    if (failed.length) return { successes, error: failed[0].reason };
    remaining -= batch;
  }
  return { successes };
}
