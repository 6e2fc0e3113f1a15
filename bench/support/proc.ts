// Reads a process's memory and CPU time from /proc, for figures about the tugboat child.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Resident set size of `pid` in MiB (VmRSS from /proc/PID/status). */
export function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

/** User plus system CPU time used so far by `pid`, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(rest[11]) + Number(rest[12])) * 1000) / TICKS_PER_SECOND;
}

/** Measures the CPU share (in % of one core) `pid` and this process use while `fn` runs. */
export async function withCpu<T>(pid: number, fn: () => Promise<T>): Promise<{ result: T; serverCpu: number; clientCpu: number }> {
  const s0 = cpuMs(pid);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { result, serverCpu: (100 * (cpuMs(pid) - s0)) / wall, clientCpu: (100 * (c.user + c.system)) / 1000 / wall };
}
