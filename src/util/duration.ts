// Durations as Go's time.ParseDuration reads them ("1h", "90s", "1h30m", "250ms"): the form of upstream's flags and fields.

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in a Go duration; throws Go's message for anything else. */
export function parseGoDuration(s: string): number {
  if (s === '0') return 0;
  if (s.length === 0) throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = re.lastIndex;
  }
  return total;
}
