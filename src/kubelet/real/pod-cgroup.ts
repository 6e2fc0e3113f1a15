// The pod-level cgroup under the cgroupfs hierarchy (upstream's pod container manager): created with the pod's limits before the sandbox, removed after it.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PodResourceConfig } from './resources';

/** Where cgroups are mounted, and whether it is the v2 unified hierarchy. */
export interface CgroupLayout {
  root: string;
  v2: boolean;
}

/** The host's cgroup layout: v2 when /sys/fs/cgroup is the unified hierarchy itself, else v1 controllers under it. */
export function detectCgroupLayout(root = '/sys/fs/cgroup'): CgroupLayout {
  return { root, v2: existsSync(join(root, 'cgroup.controllers')) };
}

/** Whether the memory controller can limit swap (v1: memory.memsw.*; v2: memory.swap.max), for containerResources. */
export function swapControllerAvailable(layout: CgroupLayout): boolean {
  return layout.v2 ? existsSync(join(layout.root, 'init.scope', 'memory.swap.max')) || existsSync(join(layout.root, 'system.slice', 'memory.swap.max')) : existsSync(join(layout.root, 'memory', 'memory.memsw.limit_in_bytes'));
}

// cgroup v2 cpu.weight from v1 shares (the conversion runc and the kubelet use).
const sharesToWeight = (shares: number) => Math.floor(1 + ((shares - 2) * 9999) / 262142);

function tryWrite(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch (e) {
    // A controller the kernel lacks is skipped, as the kubelet skips unsupported settings.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * Creates the pod's cgroup at `parent` (podCgroupParent) with the pod's cpu and memory settings; safe to repeat.
 * Synchronous on purpose: cgroupfs lives in kernel memory, so each mkdir or write takes microseconds, while each async
 * call would wait its turn in the thread pool (behind the store's WAL syncs and volume writes) on every pod start.
 */
export function ensurePodCgroup(layout: CgroupLayout, parent: string, cfg: PodResourceConfig): void {
  if (layout.v2) {
    // Every level must hand cpu and memory down to the next.
    const parts = parent.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const dir = join(layout.root, ...parts.slice(0, i));
      mkdirSync(join(dir, parts[i]), { recursive: true });
      tryWrite(join(dir, 'cgroup.subtree_control'), '+cpu +memory +pids');
    }
    const dir = join(layout.root, parent);
    tryWrite(join(dir, 'cpu.weight'), String(sharesToWeight(cfg.cpuShares)));
    tryWrite(join(dir, 'cpu.max'), `${cfg.cpuQuota ? cfg.cpuQuota : 'max'} ${cfg.cpuPeriod ?? 100000}`);
    tryWrite(join(dir, 'memory.max'), cfg.memoryLimitInBytes ? String(cfg.memoryLimitInBytes) : 'max');
    return;
  }
  const cpu = join(layout.root, 'cpu', parent);
  mkdirSync(cpu, { recursive: true });
  tryWrite(join(cpu, 'cpu.shares'), String(cfg.cpuShares));
  if (cfg.cpuPeriod) tryWrite(join(cpu, 'cpu.cfs_period_us'), String(cfg.cpuPeriod));
  tryWrite(join(cpu, 'cpu.cfs_quota_us'), String(cfg.cpuQuota || -1));
  const memory = join(layout.root, 'memory', parent);
  mkdirSync(memory, { recursive: true });
  tryWrite(join(memory, 'memory.limit_in_bytes'), String(cfg.memoryLimitInBytes || -1));
}

/** Removes the pod's cgroup from every hierarchy once its containers are gone; a cgroup still in use stays (EBUSY) and is retried later by the caller. */
export async function removePodCgroup(layout: CgroupLayout, parent: string): Promise<boolean> {
  const hierarchies = layout.v2 ? [layout.root] : readdirSync(layout.root).map((c) => join(layout.root, c));
  let removed = true;
  for (const h of hierarchies) {
    const dir = join(h, parent);
    if (!existsSync(dir)) continue;
    // Leftover child cgroups (of containers runc did not clean) go first; they are empty once their processes are gone.
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await rmdir(join(dir, e.name)).catch(() => (removed = false));
    }
    await rmdir(dir).catch(() => (removed = false));
  }
  return removed;
}
