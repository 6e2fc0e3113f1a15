// A clock for tests that moves only when told, so timing logic is checked without waiting.
import type { Clock } from './clock';

/** Timers fire in due order (ties in the order they were set) as advance() passes them; `now()` reads each one's due time. */
export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; seq: number }[] = [];
  private seq = 0;

  constructor(private t = 1_000_000) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.t + Math.max(ms, 0), fn, seq: this.seq++ };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((x) => x !== timer)) };
  }

  /** Moves time forward by `ms`, firing every timer that falls due (including ones set by timers on the way). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (let due = this.nextDue(end); due; due = this.nextDue(end)) this.fire(due);
    this.t = end;
  }

  /** As advance(), letting promise callbacks and I/O run after each timer, for code that awaits between timers. */
  async advanceSettling(ms: number): Promise<void> {
    const end = this.t + ms;
    for (let due = this.nextDue(end); due; due = this.nextDue(end)) {
      this.fire(due);
      await new Promise((r) => setImmediate(r));
    }
    this.t = end;
  }

  private nextDue(end: number) {
    return this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
  }

  private fire(due: { at: number; fn: () => void }): void {
    this.timers = this.timers.filter((x) => x !== due);
    this.t = Math.max(this.t, due.at);
    due.fn();
  }
}
