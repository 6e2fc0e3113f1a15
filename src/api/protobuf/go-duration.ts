// Formats nanoseconds as Go's time.Duration.String() does, the JSON form of metav1.Duration.

const SECOND = 1_000_000_000n;

/** "1h2m3.5s", "1.5ms", "0s" — Go's Duration.String() for an int64 count of nanoseconds. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const u = ns < 0n ? -ns : ns;
  let out: string;
  if (u < SECOND) {
    // Under a second Go picks the largest unit that keeps an integer part: ns, µs or ms.
    const [scale, unit] = u < 1_000n ? [1n, 'ns'] : u < 1_000_000n ? [1_000n, 'µs'] : [1_000_000n, 'ms'];
    out = `${u / scale}${fraction(u % scale, scale)}${unit}`;
  } else {
    const secs = u / SECOND;
    out = `${secs % 60n}${fraction(u % SECOND, SECOND)}s`;
    const mins = secs / 60n;
    if (mins > 0n) out = `${mins % 60n}m${out}`;
    if (mins >= 60n) out = `${mins / 60n}h${out}`;
  }
  return ns < 0n ? `-${out}` : out;
}

// The digits of rem/scale after the point, trailing zeros dropped; empty (no point) when rem is 0.
function fraction(rem: bigint, scale: bigint): string {
  if (rem === 0n) return '';
  const digits = scale.toString().length - 1;
  return `.${rem.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}
