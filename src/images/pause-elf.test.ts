// The pause executable, run for real: it sleeps, ignores SIGCHLD, and as PID 1 of a PID namespace leaves no zombies.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pauseExecutable } from './pause-elf';

const SIGCHLD_BIT = 1n << 16n; // signal 17
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function procStatus(pid: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

/** Pids (host view) of the children of `parent` and their states. */
function childrenOf(parent: number): { pid: number; state: string }[] {
  const kids = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = procStatus(Number(d));
      if (Number(st.PPid) === parent) kids.push({ pid: Number(d), state: st.State[0] });
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

it('there is none for architectures it was not written for', () => {
  assert.equal(pauseExecutable('arm64'), undefined);
  assert.equal(pauseExecutable('x64')?.length, 192);
});

describe('the pause executable on this machine', { skip: process.arch === 'x64' ? undefined : 'x86_64 only' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-pause-'));
  const path = join(dir, 'pause');
  writeFileSync(path, pauseExecutable()!);
  chmodSync(path, 0o755);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sleeps with SIGCHLD ignored, and SIGTERM ends it outside a PID namespace', async () => {
    const p = spawn(path, [], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((r) => p.on('exit', (_code, signal) => r(signal)));
    await sleep(100);
    const st = procStatus(p.pid!);
    assert.equal(st.State[0], 'S');
    assert.notEqual(BigInt(`0x${st.SigIgn}`) & SIGCHLD_BIT, 0n);
    p.kill('SIGTERM');
    assert.equal(await exited, 'SIGTERM');
  });

  it('as PID 1 of a PID namespace, reaps an orphan it inherits', { skip: process.getuid?.() === 0 ? undefined : 'needs root for unshare' }, async () => {
    // unshare forks pause as PID 1 of a new PID namespace; its host pid is unshare's child.
    const ns = spawn('unshare', ['--fork', '--pid', path], { stdio: 'ignore' });
    let init: number | undefined;
    try {
      for (let i = 0; i < 50 && !init; i++, await sleep(20)) init = childrenOf(ns.pid!)[0]?.pid;
      assert.ok(init, 'pause started');
      // A shell in the namespace starts a short sleep in the background and exits: the sleep is orphaned to pause.
      // (No pipes: the sleep would hold them open, and execFileSync would wait for it.)
      execFileSync('nsenter', ['-t', String(init), '-p', '--', 'sh', '-c', 'sleep 0.3 & exit 0'], { stdio: 'ignore' });
      const orphan = childrenOf(init);
      assert.equal(orphan.length, 1, 'the orphan was reparented to pause');
      await sleep(600);
      assert.deepEqual(childrenOf(init), [], 'no zombie left behind');
    } finally {
      if (init) process.kill(init, 'SIGKILL'); // SIGKILL reaches a namespace's init from outside
      ns.kill('SIGKILL');
    }
  });
});
