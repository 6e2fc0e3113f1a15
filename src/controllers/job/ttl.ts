// The TTL-after-finished controller: deletes a finished Job ttlSecondsAfterFinished after it finished (its pods go with it through the GC).
import type { Informer } from '../../client/informer';
import { keyOf, splitKey } from '../../client/informer';
import type { ResourceClient } from '../../client/types';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import type { Clock } from '../../util/clock';
import { logger } from '../../util/log';
import { errorMessage, isNotFound } from '../shared/errors';
import { parseTime } from '../shared/pod-util';
import type { Job } from './conditions';
import { finishedCondition } from './conditions';

const log = logger('ttl-after-finished-controller');

/**
 * upstream timeLeft: ms until a finished Job with ttlSecondsAfterFinished expires (0 or less: now); undefined when it
 * has no TTL, has not finished, is already being deleted, or finished in the future (clock skew).
 */
export function ttlRemaining(job: Job, now: number): number | undefined {
  const ttl = job.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || job.metadata.deletionTimestamp) return undefined;
  const finishedAt = parseTime(finishedCondition(job)?.lastTransitionTime);
  if (finishedAt === undefined || finishedAt > now) return undefined;
  return finishedAt + ttl * 1000 - now;
}

/** Options of the TTL controller. */
export interface TtlControllerOptions {
  jobs: ResourceClient<Job>;
  jobInformer: Informer<Job>;
  clock: Clock;
}

/** Deletes expired finished Jobs (Foreground, so their pods go first). */
export class TtlAfterFinishedController {
  readonly queue: WorkQueue;

  constructor(private readonly o: TtlControllerOptions) {
    this.queue = new WorkQueue(o.clock);
    const maybe = (job: Job) => {
      if (ttlRemaining(job, o.clock.now()) !== undefined) this.queue.add(keyOf(job));
    };
    o.jobInformer.on({ add: maybe, update: (_, j) => maybe(j) });
  }

  /** Starts the worker once the informer has synced. */
  async run(): Promise<void> {
    await this.o.jobInformer.waitForSync();
    await runWorkers(this.queue, 1, (key) => this.sync(key), (key, err) => log.warn('sync failed; retrying', { obj: key, err: errorMessage(err) }));
  }

  /** upstream processJob: waits out the TTL, re-reads the Job from the API, and deletes it with a UID precondition. */
  async sync(key: string): Promise<void> {
    const cached = this.o.jobInformer.get(key);
    if (!cached) return;
    const left = ttlRemaining(cached, this.o.clock.now());
    if (left === undefined) return;
    if (left > 0) {
      this.queue.addAfter(key, left);
      return;
    }
    const { namespace, name } = splitKey(key);
    let fresh: Job;
    try {
      fresh = await this.o.jobs.get(namespace, name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const freshLeft = ttlRemaining(fresh, this.o.clock.now());
    if (freshLeft === undefined) return;
    if (freshLeft > 0) {
      this.queue.addAfter(key, freshLeft);
      return;
    }
    log.info('cleaning up finished job', { obj: key });
    await this.o.jobs.delete(namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid } }).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
  }
}
