// The CronJob controller: handlers enqueue CronJob keys; sync(key) reconciles the active list, starts due Jobs, trims history, requeues for the next run.
import type { EventRecorder } from '../../client/events';
import type { Informer } from '../../client/informer';
import { keyOf } from '../../client/informer';
import type { ResourceClient } from '../../client/types';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import type { Clock } from '../../util/clock';
import { logger } from '../../util/log';
import { getControllerOf } from '../shared/controller-ref';
import { errorMessage, hasStatusCause, isAlreadyExists, isNotFound, NAMESPACE_TERMINATING_CAUSE } from '../shared/errors';
import { indexByNamespace, listInNamespace, resolveControllerRef } from '../shared/informer-index';
import type { CronJob, Job } from './reconcile';
import { CRONJOB_KIND, jobsToCleanUp, planCronJob, recordCreated } from './reconcile';

const log = logger('cronjob-controller');

/** Everything the controller needs; tests pass clients and informers of a test API server (and a fake clock). */
export interface CronJobControllerOptions {
  cronJobs: ResourceClient<CronJob>;
  jobs: ResourceClient<Job>;
  cronJobInformer: Informer<CronJob>;
  jobInformer: Informer<Job>;
  recorder: EventRecorder;
  clock: Clock;
}

/** Starts each CronJob's Jobs on schedule. */
export class CronJobController {
  readonly queue: WorkQueue;
  private readonly o: CronJobControllerOptions;

  constructor(o: CronJobControllerOptions) {
    this.o = o;
    this.queue = new WorkQueue(o.clock);
    indexByNamespace(o.cronJobInformer);
    indexByNamespace(o.jobInformer);
    o.cronJobInformer.on({ add: (c) => this.enqueue(c), update: (_, c) => this.enqueue(c) });
    const owner = (j: Job) => {
      const cj = resolveControllerRef(o.cronJobInformer, CRONJOB_KIND, j.metadata.namespace ?? '', getControllerOf(j));
      if (cj) this.enqueue(cj);
    };
    o.jobInformer.on({
      add: owner,
      update: (a, b) => {
        if (getControllerOf(a)?.uid !== getControllerOf(b)?.uid) owner(a);
        owner(b);
      },
      delete: owner,
    });
  }

  /** Starts workers once the informers have synced; resolves when the queue shuts down. */
  async run(workers: number): Promise<void> {
    await Promise.all([this.o.cronJobInformer.waitForSync(), this.o.jobInformer.waitForSync()]);
    await runWorkers(this.queue, workers, (key) => this.sync(key), (key, err) => log.warn('sync failed; retrying', { obj: key, err: errorMessage(err) }));
  }

  /** Reconciles one CronJob by key. */
  async sync(key: string): Promise<void> {
    const cached = this.o.cronJobInformer.get(key);
    if (!cached) return;
    const cj: CronJob = structuredClone(cached);
    const ns = cj.metadata.namespace!;
    const children = listInNamespace(this.o.jobInformer, ns).filter((j) => getControllerOf(j)?.uid === cj.metadata.uid);
    const missing = await this.missingActiveJobs(cj, children);
    const plan = planCronJob(cj, children, missing, this.o.clock.now());
    for (const ev of plan.events) this.o.recorder.event(cj, ev.type, ev.reason, ev.message);
    let changed = plan.statusChanged;
    let createErr: unknown;
    for (const ref of plan.replace) {
      if (await this.deleteJob(cj, ref.name!)) {
        cj.status!.active = (cj.status!.active ?? []).filter((r) => r.uid !== ref.uid);
        changed = true;
      }
    }
    if (plan.create && plan.scheduledTime !== undefined) {
      try {
        const created = await this.o.jobs.create(ns, plan.create);
        this.o.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
        recordCreated(cj, created, plan.scheduledTime);
        changed = true;
      } catch (e) {
        // Another actor (or our own earlier try) made it: the status will say so.
        if (!isAlreadyExists(e) && !hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) this.o.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errorMessage(e)}`);
        createErr = e;
      }
    }
    if (!cj.metadata.deletionTimestamp) {
      for (const j of jobsToCleanUp(cj, children)) {
        if (!(await this.deleteJob(cj, j.metadata.name!))) continue;
        if (cj.status?.active?.some((r) => r.uid === j.metadata.uid)) cj.status.active = cj.status.active.filter((r) => r.uid !== j.metadata.uid);
        changed = true;
      }
    }
    if (!cj.status?.active?.length) delete cj.status?.active;
    if (changed) await this.o.cronJobs.updateStatus(ns, cj);
    if (createErr !== undefined) throw createErr;
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
  }

  /** UIDs of active Jobs missing from the cache that the API confirms are gone (the cache may only lag). */
  private async missingActiveJobs(cj: CronJob, children: Job[]): Promise<Set<string>> {
    const missing = new Set<string>();
    const known = new Set(children.map((j) => j.metadata.uid));
    for (const ref of cj.status?.active ?? []) {
      if (known.has(ref.uid)) continue;
      try {
        await this.o.jobs.get(ref.namespace ?? cj.metadata.namespace!, ref.name!);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        missing.add(ref.uid ?? '');
      }
    }
    return missing;
  }

  /** upstream deleteJob: deletes in the background (its pods follow through the GC) and records SuccessfulDelete. */
  private async deleteJob(cj: CronJob, name: string): Promise<boolean> {
    try {
      await this.o.jobs.delete(cj.metadata.namespace!, name, { propagationPolicy: 'Background' });
    } catch (e) {
      if (isNotFound(e)) return true;
      this.o.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errorMessage(e)}`);
      return false;
    }
    this.o.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
    return true;
  }

  private enqueue(cj: CronJob): void {
    this.queue.add(keyOf(cj));
  }
}
