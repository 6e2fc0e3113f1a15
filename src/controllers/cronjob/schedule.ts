// Cron schedule arithmetic in a time zone: the next activation after an instant, the most recent one before now.
import { parseCronSchedule, type CronSchedule } from '../../api/strategies/cron-schedule';

const MINUTE = 60_000;
const DAY = 86_400_000;
// robfig/cron gives up after this many years without a match (e.g. "0 0 30 2 *").
const YEAR_LIMIT = 5;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time of instant `ms` in `timeZone`, as milliseconds of a UTC date with the same fields. */
export function wallClock(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + (((ms % 1000) + 1000) % 1000);
}

/** The offset of `timeZone` from UTC at instant `ms`, in milliseconds (east positive). */
export function zoneOffset(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone) - ms;
}

// Instants whose wall clock in timeZone reads `wall`: none in a spring-forward gap, two in a fall-back hour.
function instantsAt(wall: number, timeZone: string): number[] {
  const offsets = new Set([zoneOffset(wall - DAY, timeZone), zoneOffset(wall, timeZone), zoneOffset(wall + DAY, timeZone)]);
  const out = [...offsets].map((o) => wall - o).filter((t) => wallClock(t, timeZone) === wall);
  return [...new Set(out)].sort((a, b) => a - b);
}

const has = (bits: bigint, n: number) => ((bits >> BigInt(n)) & 1n) === 1n;

// robfig/cron dayMatches: with a "*" in either day field both must match, otherwise either may.
function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = has(s.dom, d.getUTCDate());
  const dow = has(s.dow, d.getUTCDay());
  return s.domStar || s.dowStar ? dom && dow : dom || dow;
}

/** The process's own time zone: what a CronJob without spec.timeZone is scheduled in, as upstream's controller-local time. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * The first activation of `schedule` strictly after instant `after` (ms), in `timeZone`; undefined when nothing matches
 * within five years. Wall-clock times skipped by a DST change do not fire; repeated ones fire once.
 */
export function nextScheduleTime(schedule: string | CronSchedule, after: number, timeZone = 'UTC'): number | undefined {
  const s = typeof schedule === 'string' ? parseCronSchedule(schedule) : schedule;
  if (s.everyMs !== undefined) {
    // robfig ConstantDelaySchedule: the delay rounded down to whole seconds (at least one), from the whole second.
    const delay = Math.max(1000, Math.floor(s.everyMs / 1000) * 1000);
    return after - (((after % 1000) + 1000) % 1000) + delay;
  }
  // Standard schedules fire on whole minutes; start at the first whole minute after `after`.
  const first = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  let t = Math.floor(wallClock(first, timeZone) / MINUTE) * MINUTE;
  const yearLimit = new Date(t).getUTCFullYear() + YEAR_LIMIT;
  while (new Date(t).getUTCFullYear() <= yearLimit) {
    const d = new Date(t);
    if (!has(s.month, d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    if (!dayMatches(s, d)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!has(s.hour, d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (has(s.minute, d.getUTCMinutes())) {
      const hit = instantsAt(t, timeZone).find((i) => i > after);
      if (hit !== undefined) return hit;
    }
    t += MINUTE;
  }
  return undefined;
}

/** What fell due between `earliest` and `now`: the latest activation at or before now and roughly how many were missed. */
export interface MostRecent {
  /** The latest activation in (earliest, now], if any. */
  time?: number;
  /** Activations in (earliest, now], estimated from the interval as upstream does (exact up to two). */
  missed: number;
}

/** upstream mostRecentScheduleTime: the newest activation after `earliest` that is not after `now`. */
export function mostRecentScheduleTime(schedule: string | CronSchedule, earliest: number, now: number, timeZone = 'UTC'): MostRecent {
  const s = typeof schedule === 'string' ? parseCronSchedule(schedule) : schedule;
  const t1 = nextScheduleTime(s, earliest, timeZone);
  if (t1 === undefined || t1 > now) return { missed: 0 };
  const t2 = nextScheduleTime(s, t1, timeZone);
  if (t2 === undefined || t2 > now) return { time: t1, missed: 1 };
  const interval = t2 - t1;
  const missed = Math.floor((now - t1) / interval) + 1;
  // Step back from now, doubling the span, until an activation falls inside it; then walk forward to the last one.
  let span = interval;
  let from = Math.max(t1 - 1, now - span);
  while (from > t1 - 1 && (nextScheduleTime(s, from, timeZone) ?? Infinity) > now) {
    span *= 2;
    from = Math.max(t1 - 1, now - span);
  }
  let last = t1;
  for (let t = nextScheduleTime(s, from, timeZone); t !== undefined && t <= now; t = nextScheduleTime(s, t, timeZone)) last = t;
  return { time: last, missed };
}

/** Go's time.RFC3339 of an instant as seen in `timeZone` ("Z" when the offset is zero). */
export function rfc3339InZone(ms: number, timeZone: string): string {
  const offset = zoneOffset(ms, timeZone);
  const wall = new Date(ms + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const abs = Math.abs(offset) / MINUTE;
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${wall}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** Go's time.RFC1123Z in UTC, as upstream prints missed schedule times. */
export function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** True when the runtime knows the IANA zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}
