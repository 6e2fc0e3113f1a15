// Which pods of each Job are awaited to lose the job-tracking finalizer, so that a sync does not count them twice.

/** upstream uidTrackingExpectations, keyed by Job key. */
export class FinalizerExpectations {
  private readonly byJob = new Map<string, Set<string>>();

  /** The pod UIDs of `jobKey` awaited to lose their finalizer. */
  expected(jobKey: string): Set<string> {
    return new Set(this.byJob.get(jobKey) ?? []);
  }

  /** Awaits the finalizer removal of these pods. */
  expectRemoved(jobKey: string, uids: string[]): void {
    const s = this.byJob.get(jobKey) ?? new Set<string>();
    for (const u of uids) s.add(u);
    this.byJob.set(jobKey, s);
  }

  /** The pod was seen without its finalizer (or gone), or the removal failed. */
  observed(jobKey: string, uid: string): void {
    const s = this.byJob.get(jobKey);
    if (!s) return;
    s.delete(uid);
    if (!s.size) this.byJob.delete(jobKey);
  }

  /** Forgets a Job. */
  delete(jobKey: string): void {
    this.byJob.delete(jobKey);
  }
}
