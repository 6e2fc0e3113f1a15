// Pure parts of pods/log: the CRI log line format, the kubelet's log filters (since, timestamps, limitBytes) and tail.
import type { Pod } from 'kubernetes-types/core/v1';
import { badRequest, field, FieldError, invalid } from '../../machinery/errors';

/** One parsed line of a CRI log file: `2024-01-01T00:00:00.123456789Z stdout F text`. */
export interface CriLogLine {
  /** The timestamp exactly as the runtime wrote it (RFC 3339 with nanoseconds). */
  time: string;
  stream: 'stdout' | 'stderr';
  /** P: the runtime split a long line; the next line continues it. */
  partial: boolean;
  /** The text, with its newline for full lines and without one for partial ones, as the kubelet writes it. */
  content: string;
}

/** Parses one CRI log line (without its trailing newline); undefined for a malformed line, which the kubelet skips. */
export function parseCriLogLine(line: string): CriLogLine | undefined {
  const a = line.indexOf(' ');
  if (a <= 0) return undefined;
  const b = line.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  let c = line.indexOf(' ', b + 1);
  // An empty full line may be written without the space before its (empty) content.
  if (c < 0) c = line.length;
  const tag = line.slice(b + 1, c).split(':')[0];
  if (tag !== 'P' && tag !== 'F') return undefined;
  const partial = tag === 'P';
  const text = line.slice(c + 1);
  return { time: line.slice(0, a), stream, partial, content: partial ? text : text + '\n' };
}

/** PodLogOptions as the query gives them (upstream's names). */
export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`${name}: invalid value "${v}"`);
  return Number(v);
}

function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}

/** Reads and validates PodLogOptions from the query, as upstream's ValidatePodLogOptions (422 PodLogOptions). */
export function podLogOptions(q: URLSearchParams, podName: string): PodLogOptions {
  const o: PodLogOptions = {
    container: q.get('container') || undefined,
    follow: boolParam(q, 'follow'),
    previous: boolParam(q, 'previous'),
    timestamps: boolParam(q, 'timestamps'),
    tailLines: intParam(q, 'tailLines'),
    sinceSeconds: intParam(q, 'sinceSeconds'),
    sinceTime: q.get('sinceTime') || undefined,
    limitBytes: intParam(q, 'limitBytes'),
  };
  if (o.sinceTime !== undefined && Number.isNaN(Date.parse(o.sinceTime))) throw badRequest(`sinceTime: invalid value "${o.sinceTime}"`);
  const errs: FieldError[] = [];
  if (o.tailLines !== undefined && o.tailLines < 0) errs.push(field.invalid('tailLines', o.tailLines, 'must be greater than or equal to 0'));
  if (o.limitBytes !== undefined && o.limitBytes < 1) errs.push(field.invalid('limitBytes', o.limitBytes, 'must be greater than 0'));
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) errs.push(field.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) errs.push(field.invalid('sinceSeconds', o.sinceSeconds, 'must be greater than 0'));
  if (errs.length) throw invalid('PodLogOptions', '', podName, errs);
  return o;
}

/** The earliest log time shown, in ms since the epoch, or undefined for no lower bound. */
export function sinceMillis(o: PodLogOptions, now: number): number | undefined {
  if (o.sinceSeconds !== undefined) return now - o.sinceSeconds * 1000;
  if (o.sinceTime !== undefined) return Date.parse(o.sinceTime);
  return undefined;
}

/** Turns parsed lines into the response text, applying since, timestamps and limitBytes like the kubelet's log writer. */
export class LogWriter {
  private remaining: number;

  constructor(
    private readonly o: { since?: number; timestamps: boolean; limitBytes?: number },
  ) {
    this.remaining = o.limitBytes ?? Infinity;
  }

  /** True once limitBytes bytes have been written: the response ends there. */
  get full(): boolean {
    return this.remaining <= 0;
  }

  /** The bytes to send for one line (possibly cut at limitBytes), or an empty buffer when it is filtered out. */
  write(l: CriLogLine): Buffer {
    if (this.full) return Buffer.alloc(0);
    if (this.o.since !== undefined && Date.parse(l.time) < this.o.since) return Buffer.alloc(0);
    let out = Buffer.from(this.o.timestamps ? `${l.time} ${l.content}` : l.content);
    if (out.length > this.remaining) out = out.subarray(0, this.remaining);
    this.remaining -= out.length;
    return out;
  }
}

/** The offset in `buf` where its last `n` lines start; `buf` ends at the end of the file (a last line may lack its newline). */
export function tailStart(buf: Buffer, n: number): number | undefined {
  let end = buf.length;
  if (end > 0 && buf[end - 1] === 0x0a) end--;
  let found = 0;
  for (let i = end - 1; i >= 0; i--) {
    if (buf[i] !== 0x0a) continue;
    if (++found === n) return i + 1;
  }
  // Fewer than n newlines: the caller reads more of the file, or starts at 0 when it read it all.
  return n === 0 ? buf.length : undefined;
}

/** upstream kubelet validateContainerLogStatus: why a container has no logs to show yet, or undefined when it has. */
export function containerLogStatusError(pod: Pod, container: string, previous: boolean): string | undefined {
  const st = pod.status;
  const all = [...(st?.containerStatuses ?? []), ...(st?.initContainerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])];
  const cs = all.find((s) => s.name === container);
  const podName = pod.metadata?.name ?? '';
  if (!cs) return `container "${container}" in pod "${podName}" is not available`;
  const last = cs.lastState?.terminated;
  const { waiting, running, terminated } = cs.state ?? {};
  if (previous) return last?.containerID ? undefined : `previous terminated container "${container}" in pod "${podName}" not found`;
  if (running) return undefined;
  if (terminated) return terminated.containerID || last?.containerID ? undefined : `container "${container}" in pod "${podName}" is terminated`;
  if (last) return last.containerID ? undefined : `container "${container}" in pod "${podName}" is terminated`;
  if (waiting) {
    if (waiting.reason === 'ErrImagePull') return `container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`;
    if (waiting.reason === 'ImagePullBackOff') return `container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`;
    return `container "${container}" in pod "${podName}" is waiting to start: ${waiting.reason ?? ''}`;
  }
  return `container "${container}" in pod "${podName}" is waiting to start - no logs yet`;
}
