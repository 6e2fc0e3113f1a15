// For tests of asynchronous components: wait for a condition without fixed sleeps.

/** Polls `fn` every `intervalMs` until it returns a truthy value, which it resolves with; after `ms`, rejects with the last error. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, ms = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
