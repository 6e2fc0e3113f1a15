// Batches the writes submitted in one event-loop turn into one transaction, so concurrent writers share one fsync.

/** The result of one write inside a batch: a failed precondition rejects that write alone. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: Error };

interface Pending<T, R> {
  item: T;
  resolve(value: R): void;
  reject(err: Error): void;
}

/** A write queue flushed on setImmediate; `commit` applies a whole batch in one transaction (and may settle later, once durable). */
export class GroupCommit<T, R> {
  private pending: Pending<T, R>[] = [];
  private scheduled = false;
  /** Committed transactions and the writes they carried (successful or not). */
  readonly stats = { transactions: 0, writes: 0 };

  /**
   * `commit` applies the batch synchronously and returns one outcome per item in order, or a promise of them when
   * the writes may only be acknowledged later; it throws (or rejects) only if the whole transaction failed (then
   * every write in the batch is rejected with that error). The next batch may commit before this one settles.
   */
  constructor(private readonly commit: (items: T[]) => Outcome<R>[] | Promise<Outcome<R>[]>) {}

  /** Queues a write; the promise settles only after the batch holding it has committed. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // setImmediate, not a microtask: writes arriving from every I/O callback of this turn join the batch.
      setImmediate(() => this.flush());
    });
  }

  /** Commits whatever is queued now (the scheduled flush, or close() draining the queue). */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let outcomes: Outcome<R>[] | Promise<Outcome<R>[]>;
    try {
      outcomes = this.commit(batch.map((p) => p.item));
    } catch (err) {
      for (const p of batch) p.reject(err as Error);
      return;
    }
    this.stats.transactions++;
    this.stats.writes += batch.length;
    const settle = (done: Outcome<R>[]) =>
      batch.forEach((p, i) => {
        const o = done[i];
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
    if (Array.isArray(outcomes)) settle(outcomes);
    else outcomes.then(settle, (err: Error) => batch.forEach((p) => p.reject(err)));
  }
}
