// Parses standard cron schedules exactly as robfig/cron ParseStandard (used by upstream CronJob validation), with its error messages.
import { parseGoDuration } from '../../util/duration';

/** A parsed schedule: bit sets per field (bit n set = value n allowed), or a fixed interval for "@every". */
export interface CronSchedule {
  minute: bigint;
  hour: bigint;
  dom: bigint;
  month: bigint;
  dow: bigint;
  /** True when day-of-month or day-of-week was "*" or "?" (robfig's star bit), which changes how the two combine. */
  domStar: boolean;
  dowStar: boolean;
  /** Set for "@every <duration>" in milliseconds. */
  everyMs?: number;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

function bits(min: number, max: number, step: number): bigint {
  let b = 0n;
  for (let i = min; i <= max; i += step) b |= 1n << BigInt(i);
  return b;
}

// Go's strconv.Atoi, including its error text.
function atoi(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 63 - 1)
    throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range`);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function intOrName(expr: string, names?: Record<string, number>): number {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : atoi(expr);
}

function parseRange(expr: string, r: Bounds): { bits: bigint; star: boolean } {
  const rangeAndStep = expr.split('/');
  const lowHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowHigh[0] === '*' || lowHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = intOrName(lowHigh[0], r.names);
    if (lowHigh.length === 1) end = start;
    else if (lowHigh.length === 2) end = intOrName(lowHigh[1], r.names);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = atoi(rangeAndStep[1]);
    if (lowHigh.length === 1) end = r.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) throw new Error(`too many slashes: ${expr}`);
  if (start < r.min) throw new Error(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new Error(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  return { bits: bits(start, end, step), star };
}

function parseField(text: string, r: Bounds): { bits: bigint; star: boolean } {
  let b = 0n;
  let star = false;
  for (const expr of text.split(',').filter((s) => s !== '')) {
    const part = parseRange(expr, r);
    b |= part.bits;
    star ||= part.star;
  }
  return { bits: b, star };
}

const ALL = FIELDS.map((f) => bits(f.min, f.max, 1));
const bit = (v: number) => 1n << BigInt(v);

function descriptor(spec: string): CronSchedule {
  const base = { minute: bit(0), hour: bit(0), dom: ALL[2], month: ALL[3], dow: ALL[4], domStar: true, dowStar: true };
  switch (spec) {
    case '@yearly':
    case '@annually':
      return { ...base, dom: bit(1), month: bit(1), domStar: false };
    case '@monthly':
      return { ...base, dom: bit(1), domStar: false };
    case '@weekly':
      return { ...base, dow: bit(0), dowStar: false };
    case '@daily':
    case '@midnight':
      return base;
    case '@hourly':
      return { ...base, hour: ALL[1] };
  }
  if (spec.startsWith('@every ')) {
    try {
      return { ...base, everyMs: parseGoDuration(spec.slice(7)) };
    } catch (e) {
      throw new Error(`failed to parse duration ${spec}: ${(e as Error).message}`);
    }
  }
  throw new Error(`unrecognized descriptor: ${spec}`);
}

/** Parses a 5-field cron line or a descriptor (@daily, @every 1h); throws with robfig/cron's message. TZ= prefixes are rejected by callers. */
export function parseCronSchedule(spec: string): CronSchedule {
  if (spec.length === 0) throw new Error('empty spec string');
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const i = rest.indexOf(' ');
    rest = i < 0 ? '' : rest.slice(i).trim();
  }
  if (rest.startsWith('@')) return descriptor(rest);
  const fields = rest.split(/\s+/).filter((s) => s !== '');
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, FIELDS[i]));
  return { minute: minute.bits, hour: hour.bits, dom: dom.bits, month: month.bits, dow: dow.bits, domStar: dom.star, dowStar: dow.star };
}
