import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectCgroupLayout, ensurePodCgroup, removePodCgroup } from './pod-cgroup';

const layout = detectCgroupLayout();
const canWrite = process.getuid?.() === 0 && existsSync(layout.v2 ? join(layout.root, 'cgroup.subtree_control') : join(layout.root, 'memory'));

test('the pod cgroup is created with the pod limits and removed again', { skip: !canWrite && 'needs root and a writable cgroupfs' }, async () => {
  const top = `/tugboat-test-${process.pid}`;
  const parent = `${top}/podabc`;
  try {
    await ensurePodCgroup(layout, parent, { cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000, memoryLimitInBytes: 64 * 1024 * 1024 });
    await ensurePodCgroup(layout, parent, { cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000, memoryLimitInBytes: 64 * 1024 * 1024 });
    const read = (p: string) => readFileSync(join(layout.root, p), 'utf8').trim();
    if (layout.v2) {
      assert.equal(read(`${parent}/memory.max`), String(64 * 1024 * 1024));
      assert.equal(read(`${parent}/cpu.max`), '50000 100000');
    } else {
      assert.equal(read(`memory${parent}/memory.limit_in_bytes`), String(64 * 1024 * 1024));
      assert.equal(read(`cpu${parent}/cpu.shares`), '512');
      assert.equal(read(`cpu${parent}/cpu.cfs_quota_us`), '50000');
    }
    assert.equal(await removePodCgroup(layout, parent), true);
    assert.equal(existsSync(join(layout.root, layout.v2 ? parent : `memory${parent}`)), false);
  } finally {
    for (const h of layout.v2 ? [layout.root] : ['cpu', 'memory'].map((c) => join(layout.root, c))) {
      try {
        rmdirSync(join(h, top));
      } catch {
        // already gone
      }
    }
  }
});
