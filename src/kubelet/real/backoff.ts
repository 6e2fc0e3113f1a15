// Per-key restart back-off as upstream's flowcontrol.Backoff: 10 s doubling to 5 min, forgotten after 10 min without a failure.

/** Initial crash-loop and image-pull back-off (upstream's 10 s). */
export const BACKOFF_INITIAL_MS = 10_000;
/** Longest back-off (upstream MaxContainerBackOff, 300 s). */
export const BACKOFF_MAX_MS = 300_000;

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

/** Keyed back-off; every method takes the time, so callers decide with their clock and tests need none. */
export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = BACKOFF_INITIAL_MS,
    private readonly maxMs = BACKOFF_MAX_MS,
  ) {}

  // An entry not updated for twice the maximum starts over (upstream hasExpired).
  private expired(e: Entry, eventTime: number): boolean {
    return eventTime - e.lastUpdate > 2 * this.maxMs;
  }

  /** Records a failure at `eventTime`: the first (or first after expiry) waits the initial delay, later ones double. */
  next(key: string, eventTime: number): number {
    const e = this.entries.get(key);
    const delayMs = !e || this.expired(e, eventTime) ? this.initialMs : Math.min(e.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: eventTime });
    return delayMs;
  }

  /** The current delay of `key` (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Whether `key`, which failed at `eventTime`, must still wait at `now` (upstream IsInBackOffSince). */
  inBackoffSince(key: string, eventTime: number, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, now)) return false;
    return now - eventTime < e.delayMs;
  }

  /** When the back-off of a failure at `eventTime` ends (for requeueing), or 0 without an entry. */
  endsAt(key: string, eventTime: number): number {
    const e = this.entries.get(key);
    return e ? eventTime + e.delayMs : 0;
  }

  /** Drops entries not updated for twice the maximum (upstream GC), and every key under `prefix` when given. */
  gc(now: number, prefix?: string): void {
    for (const [k, e] of this.entries) if (this.expired(e, now) || (prefix !== undefined && k.startsWith(prefix))) this.entries.delete(k);
  }
}

/** A whole-second duration as Go prints it (10s, 1m20s, 5m0s), for upstream's back-off messages. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}
