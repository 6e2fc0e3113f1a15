import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectCgroupLayout, ensurePodCgroup, removePodCgroup } from './pod-cgroup';

const layout = detectCgroupLayout();
const canWrite = process.getuid?.() === 0 && existsSync(layout.v2 ? join(layout.root, 'cgroup.subtree_control') : join(layout.root, 'memory'));

test('the pod cgroup is created with the pod limits and removed again', { skip: !canWrite && 'needs root and a writable cgroupfs' }, async () => {
  const top = `/tugboat-test-${process.pid}`;
  const parent = `${top}/podabc`;
  try {
    ensurePodCgroup(layout, parent, { cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000, memoryLimitInBytes: 64 * 1024 * 1024 });
    ensurePodCgroup(layout, parent, { cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000, memoryLimitInBytes: 64 * 1024 * 1024 });
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

test('on cgroup v2 each level hands cpu and memory down, and the pod gets weight, max and memory.max', async () => {
  // A stand-in for the unified hierarchy: the files the kernel would have are written as plain files.
  const root = mkdtempSync(join(tmpdir(), 'tugboat-cgroup-v2-'));
  try {
    writeFileSync(join(root, 'cgroup.controllers'), 'cpu memory pids\n');
    const layout = detectCgroupLayout(root);
    assert.equal(layout.v2, true);
    const parent = '/kubepods/burstable/podabc';
    ensurePodCgroup(layout, parent, { cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000, memoryLimitInBytes: 64 * 1024 * 1024 });
    const read = (p: string) => readFileSync(join(root, p), 'utf8').trim();
    for (const level of ['', '/kubepods', '/kubepods/burstable']) assert.equal(read(`${level}/cgroup.subtree_control`), '+cpu +memory +pids');
    assert.equal(read(`${parent}/cpu.weight`), '20'); // 512 shares, as runc and the kubelet convert them
    assert.equal(read(`${parent}/cpu.max`), '50000 100000');
    assert.equal(read(`${parent}/memory.max`), String(64 * 1024 * 1024));
    ensurePodCgroup(layout, parent, { cpuShares: 2 });
    assert.deepEqual([read(`${parent}/cpu.weight`), read(`${parent}/cpu.max`), read(`${parent}/memory.max`)], ['1', 'max 100000', 'max']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
