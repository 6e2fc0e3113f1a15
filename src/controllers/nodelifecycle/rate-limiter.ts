// A token bucket on an injected time, as the node controller's per-zone tainting limiter (flowcontrol token bucket).

/** Tokens refill at `qps` per second up to `burst`; qps 0 accepts nothing. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private qps: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = Math.max(this.last, now);
  }

  /** Takes a token if one is available at `now`. */
  tryAccept(now: number): boolean {
    this.refill(now);
    if (this.qps <= 0 || this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** When the next token is available (Infinity with qps 0). */
  nextAt(now: number): number {
    this.refill(now);
    if (this.qps <= 0) return Infinity;
    return this.tokens >= 1 ? now : now + ((1 - this.tokens) / this.qps) * 1000;
  }

  /** Changes the rate (upstream SwapLimiter); a full bucket when the rate changes, as a new limiter would be. */
  setQPS(qps: number, now: number): void {
    if (qps === this.qps) return;
    this.qps = qps;
    this.tokens = this.burst;
    this.last = now;
  }

  get rate(): number {
    return this.qps;
  }
}
