// A high-resolution clock whose readings compare across worker threads (each thread has its own performance.now origin).

/** Milliseconds since the epoch, with performance.now()'s sub-millisecond resolution. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
