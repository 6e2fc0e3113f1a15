// Makes committed SQLite transactions durable off the event loop: one fdatasync of the WAL covers every commit before it.
import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * The store runs SQLite with synchronous=NORMAL, so COMMIT only writes the WAL (into the page cache); this syncs it.
 * With synchronous=FULL SQLite fsyncs inside COMMIT, on the main thread, and every write stalled the whole API server
 * for that long (~1 ms here, more under load: a third of the CPU profile of a pod-create run). Here the sync runs on
 * libuv's thread pool and writers are acknowledged only after it, so an acknowledged write is as durable as before;
 * a crash before the sync loses only unacknowledged writes, and SQLite's WAL checksums keep the file consistent.
 */
export class WalSync {
  private fd: number;
  private ino: number;
  /** Waiters for the next sync; those of the running one are held by its callback. */
  private waiting: Waiter[] = [];
  private running = false;
  /** Syncs started so far. */
  syncs = 0;

  constructor(private readonly walPath: string) {
    this.fd = openSync(walPath, 'r');
    this.ino = fstatSync(this.fd).ino;
  }

  /** Resolves once everything written to the WAL before this call is on disk. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) this.run();
    });
  }

  close(): void {
    closeSync(this.fd);
  }

  private run(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.running = true;
    this.syncs++;
    this.follow();
    fdatasync(this.fd, (err) => {
      this.running = false;
      // Settled in order: commits resume in the order they were made.
      for (const w of batch) {
        if (err) w.reject(err);
        else w.resolve();
      }
      if (this.waiting.length) this.run();
    });
  }

  // SQLite keeps one WAL file while the database is open; should it ever be replaced, sync the new one.
  private follow(): void {
    const ino = statSync(this.walPath, { throwIfNoEntry: false })?.ino;
    if (ino === undefined || ino === this.ino) return;
    closeSync(this.fd);
    this.fd = openSync(this.walPath, 'r');
    this.ino = fstatSync(this.fd).ino;
  }
}
