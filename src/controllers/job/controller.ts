// The Job controller: handlers enqueue Job keys; sync(key) plans, deletes and creates pods, counts finished pods through their finalizers, finishes the Job.
import type { JobStatus } from 'kubernetes-types/batch/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { EventRecorder } from '../../client/events';
import type { Informer } from '../../client/informer';
import { keyOf, splitKey } from '../../client/informer';
import type { ResourceClient } from '../../client/types';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import { labelSelectorFromObject } from '../../machinery/labels';
import type { Clock } from '../../util/clock';
import { logger } from '../../util/log';
import type { ControllerKind } from '../shared/controller-ref';
import { claimObjects, getControllerOf, newControllerRef, recheckOwner } from '../shared/controller-ref';
import { errorMessage, isNotFound } from '../shared/errors';
import { ControllerExpectations } from '../shared/expectations';
import { indexByNamespace, listInNamespace, ownersSelecting, resolveControllerRef } from '../shared/informer-index';
import type { PodControl } from '../shared/pod-control';
import { isPodReady, podKey } from '../shared/pod-util';
import { createPodsSlowStart } from '../shared/manage-pods';
import type { Pod } from '../shared/types';
import type { Job } from './conditions';
import { isJobFinished, JOB_TRACKING_FINALIZER } from './conditions';
import { FinalizerExpectations } from './finalizer-expectations';
import { addCompletionIndexEnv, generateNameWithIndex, setCompletionIndex } from './indexes';
import type { JobPlan } from './plan';
import { hasBackoffLimitPerIndex, hasTrackingFinalizer, isIndexed } from './job-util';
import { indexFailureAnnotations } from './per-index';
import { buildContext, planJob } from './plan';
import { cleanUncounted, enactJobFinished, trackPods } from './tracking';

const log = logger('job-controller');

/** batch/v1 Job, the kind of the controller refs this controller writes. */
export const JOB_KIND: ControllerKind = { apiVersion: 'batch/v1', kind: 'Job' };

/** spec.managedBy of Jobs this controller syncs (the default when unset). */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

/** The patch that drops the tracking finalizer from a pod's list. */
const REMOVE_FINALIZER_PATCH = { metadata: { '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER] } };

/** Everything the controller needs; tests pass clients and informers of a test API server. */
export interface JobControllerOptions {
  jobs: ResourceClient<Job>;
  pods: ResourceClient<Pod>;
  jobInformer: Informer<Job>;
  podInformer: Informer<Pod>;
  podControl: PodControl;
  recorder: EventRecorder;
  clock: Clock;
}

/** Runs each Job's pods to completion and keeps its status. */
export class JobController {
  readonly queue: WorkQueue;
  /** Pods whose tracking finalizer must go because their Job is gone or finished. */
  readonly orphanQueue: WorkQueue;
  readonly expectations: ControllerExpectations;
  readonly finalizerExpectations = new FinalizerExpectations();
  private readonly o: JobControllerOptions;

  constructor(o: JobControllerOptions) {
    this.o = o;
    this.queue = new WorkQueue(o.clock);
    this.orphanQueue = new WorkQueue(o.clock);
    this.expectations = new ControllerExpectations(o.clock);
    indexByNamespace(o.jobInformer);
    indexByNamespace(o.podInformer);
    o.jobInformer.on({ add: (j) => this.enqueue(j), update: (a, b) => this.updateJob(a, b), delete: (j) => this.deleteJob(j) });
    o.podInformer.on({ add: (p) => this.addPod(p), update: (a, b) => this.updatePod(a, b), delete: (p) => this.deletePod(p, true) });
  }

  /** Starts workers once the informers have synced; resolves when the queues shut down. */
  async run(workers: number): Promise<void> {
    await Promise.all([this.o.jobInformer.waitForSync(), this.o.podInformer.waitForSync()]);
    const onError = (key: string, err: unknown) => log.warn('sync failed; retrying', { obj: key, err: errorMessage(err) });
    await Promise.all([runWorkers(this.queue, workers, (key) => this.sync(key), onError), runWorkers(this.orphanQueue, 1, (key) => this.syncOrphanPod(key), onError)]);
  }

  /** Stops the workers. */
  stop(): void {
    this.queue.shutdown();
    this.orphanQueue.shutdown();
  }

  /** Reconciles one Job by key. */
  async sync(key: string): Promise<void> {
    const cached = this.o.jobInformer.get(key);
    if (!cached) {
      this.expectations.delete(key);
      this.finalizerExpectations.delete(key);
      return;
    }
    if (isJobFinished(cached)) return;
    // Jobs handed to another controller (spec.managedBy, JobManagedBy beta in 1.32) are theirs to sync.
    if (cached.spec.managedBy !== undefined && cached.spec.managedBy !== JOB_CONTROLLER_NAME) return;
    if (cached.spec.completionMode && cached.spec.completionMode !== 'NonIndexed' && cached.spec.completionMode !== 'Indexed') {
      this.o.recorder.event(cached, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const job: Job = structuredClone(cached);
    const satisfied = this.expectations.satisfied(key);
    const pods = await this.podsForJob(job);
    const ctx = buildContext(job, pods, this.o.clock.now(), this.finalizerExpectations.expected(key));
    const plan = planJob(ctx, satisfied);
    const { deleted, error } = await this.deletePods(job, plan);
    let manageErr = error;
    if (manageErr === undefined) {
      try {
        await this.createPods(job, plan, ctx.podsWithDelayedDeletion);
      } catch (e) {
        manageErr = e;
      }
    }
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, Math.max(plan.requeueAfterMs, 0));
    for (const ev of plan.events) this.o.recorder.event(job, ev.type, ev.reason, ev.message);
    const status = job.status!;
    // Deleted pods terminate (gracefully) before they are gone; until then the Job does not finish.
    ctx.terminating += deleted.length;
    const ready = ctx.ready - deleted.filter(isPodReady).length;
    const prev = cached.status;
    const needsUpdate = plan.statusChanged || (prev?.active ?? 0) !== plan.active || prev?.ready !== ready || prev?.terminating !== ctx.terminating;
    status.active = plan.active;
    status.ready = ready;
    status.terminating = ctx.terminating;
    if (!status.active) delete status.active;
    ctx.finishedCondition = plan.finishedCondition;
    await this.trackStatus(job, ctx, needsUpdate);
    if (manageErr !== undefined) throw manageErr;
  }

  /** upstream getPodsForJob: every pod of the namespace the Job controls, adopting matching orphans. */
  private async podsForJob(job: Job): Promise<Pod[]> {
    const ns = job.metadata.namespace!;
    return claimObjects(listInNamespace(this.o.podInformer, ns), {
      owner: job,
      kind: JOB_KIND,
      selector: labelSelectorFromObject(job.spec.selector),
      objectKind: 'Pod',
      patch: (n, name, patch) => this.o.pods.patch(n, name, 'strategic', patch),
      canAdopt: () => recheckOwner(job, () => this.o.jobs.get(ns, job.metadata.name!)),
    });
  }

  /** Deletes the planned pods; a failing Job keeps their finalizers (they are counted as failed once stopped). */
  private async deletePods(job: Job, plan: JobPlan): Promise<{ deleted: Pod[]; error?: unknown }> {
    const deleted: Pod[] = [];
    if (!plan.deletePods.length) return { deleted };
    const key = keyOf(job);
    const ns = job.metadata.namespace!;
    // upstream deleteActivePods (a finishing Job) sets no expectations; deleteJobPods does.
    if (!plan.keepFinalizers) this.expectations.expectDeletions(key, plan.deletePods.map(podKey));
    let error: unknown;
    await Promise.all(
      plan.deletePods.map(async (p) => {
        try {
          if (!plan.keepFinalizers && hasTrackingFinalizer(p)) await this.o.pods.patch(ns, p.metadata.name!, 'strategic', REMOVE_FINALIZER_PATCH);
          await this.o.podControl.deletePod(ns, p.metadata.name!, job);
          deleted.push(p);
        } catch (e) {
          if (!plan.keepFinalizers) this.expectations.deletionObserved(key, podKey(p));
          if (isNotFound(e)) return deleted.push(p);
          error ??= e;
        }
      }),
    );
    const failed = plan.deletePods.length - deleted.length;
    plan.active += failed;
    // Not every pod stopped: the Job cannot be declared finished yet.
    if (failed && plan.finishNeedsAllDeleted) plan.finishedCondition = undefined;
    return { deleted, error };
  }

  /**
   * Creates the planned pods in slow-start batches: the tracking finalizer, and per-index name, labels, env, hostname
   * and (backoffLimitPerIndex) the failure counts carried over from the pod each replaces.
   */
  private async createPods(job: Job, plan: JobPlan, replacing: Map<number, Pod>): Promise<void> {
    if (!plan.create.length) return;
    const key = keyOf(job);
    const ns = job.metadata.namespace!;
    const template: PodTemplateSpec = structuredClone(job.spec.template);
    if (isIndexed(job)) addCompletionIndexEnv(template);
    const meta = (template.metadata ??= {});
    if (!(meta.finalizers ?? []).includes(JOB_TRACKING_FINALIZER)) meta.finalizers = [...(meta.finalizers ?? []), JOB_TRACKING_FINALIZER];
    const ref = newControllerRef(job, JOB_KIND);
    this.expectations.expectCreations(key, plan.create.length);
    const { successes, error } = await createPodsSlowStart(this.expectations, key, plan.create, async (index) => {
      const t = index === undefined ? template : structuredClone(template);
      if (index !== undefined) setCompletionIndex(t, job.metadata.name!, index);
      if (index !== undefined && hasBackoffLimitPerIndex(job)) Object.assign(t.metadata!.annotations!, indexFailureAnnotations(job, replacing.get(index)));
      await this.o.podControl.createPods(ns, t, job, ref, index === undefined ? undefined : generateNameWithIndex(job.metadata.name!, index));
    });
    plan.active -= plan.create.length - successes;
    if (error !== undefined) throw error;
  }

  /**
   * upstream trackJobStatusAndRemoveFinalizers: records finished pods as uncounted (flushing the status first), removes
   * their finalizers, moves them into the counters, and finishes the Job once nothing is uncounted or terminating.
   */
  private async trackStatus(job: Job, ctx: ReturnType<typeof buildContext>, needsUpdate: boolean): Promise<void> {
    const key = keyOf(job);
    const ns = job.metadata.namespace!;
    const t = trackPods(ctx, needsUpdate);
    let current = job;
    if (t.needsFlush) current = await this.writeStatus(current, current.status!);
    let rmErr: unknown;
    if (t.podsToRemoveFinalizer.length) {
      const uids = t.podsToRemoveFinalizer.map((p) => p.metadata.uid!);
      this.finalizerExpectations.expectRemoved(key, uids);
      await Promise.all(
        t.podsToRemoveFinalizer.map(async (p) => {
          try {
            await this.o.pods.patch(ns, p.metadata.name!, 'strategic', REMOVE_FINALIZER_PATCH);
          } catch (e) {
            this.finalizerExpectations.observed(key, p.metadata.uid!);
            if (!isNotFound(e)) {
              rmErr = e;
              return;
            }
          }
          t.uidsWithFinalizer.delete(p.metadata.uid!);
        }),
      );
    }
    const status: JobStatus = structuredClone(current.status ?? {});
    let flush = cleanUncounted(status, t.uidsWithFinalizer);
    if (rmErr !== undefined) {
      if (flush) await this.writeStatus(current, status);
      throw rmErr;
    }
    const finished = !t.reachedMax && enactJobFinished(status, t.finishedCondition, ctx.terminating, this.o.clock.now());
    flush ||= finished;
    if (!flush) return;
    await this.writeStatus(current, status);
    if (!finished) return;
    if (t.finishedCondition?.type === 'Complete') {
      if (job.spec.completions !== undefined && (status.succeeded ?? 0) > job.spec.completions)
        this.o.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      this.o.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else if (t.finishedCondition) this.o.recorder.event(job, 'Warning', t.finishedCondition.reason ?? '', t.finishedCondition.message ?? '');
    log.info('job finished', { obj: key, condition: t.finishedCondition?.type });
  }

  /** Writes the status (uncountedTerminatedPods always present, as upstream); returns the written Job. */
  private async writeStatus(job: Job, status: JobStatus): Promise<Job> {
    const next: JobStatus = { ...status, uncountedTerminatedPods: status.uncountedTerminatedPods ?? {} };
    return this.o.jobs.updateStatus(job.metadata.namespace!, { ...job, status: next });
  }

  /** upstream syncOrphanPod: drops the tracking finalizer of a pod whose Job is gone, finished or not a Job. */
  private async syncOrphanPod(key: string): Promise<void> {
    const pod = this.o.podInformer.get(key);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== JOB_KIND.kind || ref.apiVersion !== JOB_KIND.apiVersion) return;
      const job = this.resolve(pod.metadata.namespace ?? '', ref);
      if (job && !isJobFinished(job)) return;
    }
    const { namespace, name } = splitKey(key);
    await this.o.pods.patch(namespace, name, 'strategic', REMOVE_FINALIZER_PATCH).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
  }

  private enqueue(job: Job): void {
    this.queue.add(keyOf(job));
  }

  private updateJob(old: Job, cur: Job): void {
    this.enqueue(cur);
    // The Job shouldn't be finished before every pod finalizer is gone; this is the backup.
    if (isJobFinished(cur)) this.cleanupPodFinalizers(cur);
    const ads = cur.spec.activeDeadlineSeconds;
    if (cur.status?.startTime && ads !== undefined && ads !== old.spec.activeDeadlineSeconds) {
      this.queue.addAfter(keyOf(cur), ads * 1000 - (this.o.clock.now() - Date.parse(cur.status.startTime)));
    }
  }

  private deleteJob(job: Job): void {
    this.enqueue(job);
    this.cleanupPodFinalizers(job);
  }

  /** Queues the Job's pods that still carry the tracking finalizer for the orphan worker. */
  private cleanupPodFinalizers(job: Job): void {
    for (const p of listInNamespace(this.o.podInformer, job.metadata.namespace ?? '')) {
      if (hasTrackingFinalizer(p) && getControllerOf(p)?.uid === job.metadata.uid) this.orphanQueue.add(podKey(p));
    }
  }

  private resolve(namespace: string, ref: { kind: string; name: string; uid: string }): Job | undefined {
    return resolveControllerRef(this.o.jobInformer, JOB_KIND, namespace, ref);
  }

  private jobsMatching(pod: Pod): Job[] {
    return ownersSelecting(this.o.jobInformer, pod);
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.deletePod(pod, false);
    const ref = getControllerOf(pod);
    if (ref) {
      const job = this.resolve(pod.metadata.namespace ?? '', ref);
      if (!job || isJobFinished(job)) {
        if (hasTrackingFinalizer(pod)) this.orphanQueue.add(podKey(pod));
        return;
      }
      this.expectations.creationObserved(keyOf(job));
      return this.enqueue(job);
    }
    if (hasTrackingFinalizer(pod)) this.orphanQueue.add(podKey(pod));
    for (const j of this.jobsMatching(pod)) this.enqueue(j);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      this.deletePod(cur, false);
      return;
    }
    const ref = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    if (oldRef && oldRef.uid !== ref?.uid) {
      const prev = this.resolve(old.metadata.namespace ?? '', oldRef);
      if (prev) this.enqueue(prev);
    }
    if (!ref) {
      if (hasTrackingFinalizer(cur)) this.orphanQueue.add(podKey(cur));
      for (const j of this.jobsMatching(cur)) this.enqueue(j);
      return;
    }
    const job = this.resolve(cur.metadata.namespace ?? '', ref);
    if (!job || isJobFinished(job)) {
      if (hasTrackingFinalizer(cur)) this.orphanQueue.add(podKey(cur));
      return;
    }
    if (hasTrackingFinalizer(old) && !hasTrackingFinalizer(cur)) this.finalizerExpectations.observed(keyOf(job), cur.metadata.uid!);
    this.enqueue(job);
  }

  private deletePod(pod: Pod, final: boolean): void {
    const ref = getControllerOf(pod);
    if (!ref) {
      if (hasTrackingFinalizer(pod)) this.orphanQueue.add(podKey(pod));
      return;
    }
    const job = this.resolve(pod.metadata.namespace ?? '', ref);
    if (!job || isJobFinished(job)) {
      if (hasTrackingFinalizer(pod)) this.orphanQueue.add(podKey(pod));
      return;
    }
    const key = keyOf(job);
    this.expectations.deletionObserved(key, podKey(pod));
    if (final || !hasTrackingFinalizer(pod)) this.finalizerExpectations.observed(key, pod.metadata.uid!);
    this.enqueue(job);
  }
}
