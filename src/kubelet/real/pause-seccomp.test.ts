import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { CriRequest, PodSandboxConfig } from '../../cri/types';
import { pauseImage } from '../../images/build';
import { BUSYBOX_IMAGE } from '../../images/names';
import { runtimeSkipReason, startTestRuntime, type TestRuntime } from '../cri/testing';
import { pauseSeccompProfile, sandboxSeccomp } from './pause-seccomp';
import { sandboxLinuxConfig } from './security';

interface Rule {
  names: string[];
  action: string;
  args?: { index: number; value: number; valueTwo: number; op: string }[];
}

const rules = () => (pauseSeccompProfile('x64') as { syscalls: Rule[] }).syscalls;
const allowed = () => new Set(rules().flatMap((r) => (r.args ? [] : r.names)));

test('pause profile: denies by default and allows none of what RuntimeDefault keeps from unprivileged containers', () => {
  const p = pauseSeccompProfile('x64') as { defaultAction: string; architectures: string[] };
  assert.equal(p.defaultAction, 'SCMP_ACT_ERRNO');
  assert.deepEqual(p.architectures, ['SCMP_ARCH_X86_64']);
  for (const s of ['mount', 'umount2', 'unshare', 'setns', 'ptrace', 'bpf', 'keyctl', 'init_module', 'pivot_root', 'clone3', 'socket', 'connect']) {
    assert.equal(allowed().has(s), false, `${s} must not be allowed`);
  }
  for (const s of ['execve', 'futex', 'setresuid', 'pause', 'nanosleep', 'exit_group']) assert.ok(allowed().has(s), `${s} is needed`);
});

test('pause profile: clone only without new namespaces', () => {
  const clone = rules().find((r) => r.names.includes('clone'))!;
  assert.deepEqual(clone.args, [{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }]);
  // CLONE_NEWUSER (needs no capability) and CLONE_NEWNET are in the mask; a thread's flags are not.
  assert.notEqual(0x10000000 & clone.args![0].value, 0);
  assert.notEqual(0x40000000 & clone.args![0].value, 0);
  assert.equal(0x003d0f00 & clone.args![0].value, 0);
});

test('sandboxSeccomp writes the profile under the data dir; an untested architecture keeps RuntimeDefault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-seccomp-'));
  try {
    const sc = sandboxSeccomp(dir, 'x64');
    assert.deepEqual(sc, { profileType: 'Localhost', localhostRef: join(dir, 'seccomp', 'tugboat-pause.json') });
    assert.deepEqual(JSON.parse(readFileSync(sc.localhostRef, 'utf8')), pauseSeccompProfile('x64'));
    const other = mkdtempSync(join(tmpdir(), 'tugboat-seccomp-'));
    assert.deepEqual(sandboxSeccomp(other, 'arm64'), { profileType: 'RuntimeDefault', localhostRef: '' });
    assert.equal(existsSync(join(other, 'seccomp')), false);
    rmSync(other, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The profile must let runc finish the pause process's start, also as a pod-level non-root user, on a real runtime.
describe('pause profile on a real containerd', { skip: runtimeSkipReason() ?? (process.arch === 'x64' ? undefined : 'profile is for x86_64') }, () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startTestRuntime();
  });
  after(async () => {
    await rt?.cleanup();
  });

  for (const runAsUser of [undefined, 65534]) {
    it(`runs the sandbox under the filter${runAsUser ? ' as a non-root pod user' : ''}, with a container beside it`, async () => {
      const uid = `pause-${process.pid}-${runAsUser ?? 0}`;
      const pod: Pod = { metadata: { name: uid, namespace: 'team', uid }, spec: { containers: [], securityContext: { runAsUser } } };
      const config: CriRequest<PodSandboxConfig> = {
        metadata: { name: uid, namespace: 'team', uid, attempt: 0 },
        hostname: uid,
        logDirectory: join(rt.dataDir, 'logs', uid),
        linux: sandboxLinuxConfig(pod, '', sandboxSeccomp(rt.dataDir)) as CriRequest<PodSandboxConfig>['linux'],
      };
      mkdirSync(config.logDirectory!, { recursive: true });
      const { podSandboxId } = await rt.cri.runPodSandbox({ config });
      const status = await rt.cri.podSandboxStatus({ podSandboxId, verbose: true });
      assert.equal(status.status?.state, 'SANDBOX_READY');
      const pid = JSON.parse(status.info!.info).pid as number;
      const procStatus = readFileSync(`/proc/${pid}/status`, 'utf8');
      assert.match(procStatus, /^Seccomp:\s+2$/m, 'pause runs with a seccomp filter');
      assert.match(procStatus, new RegExp(`^Uid:\\s+${runAsUser ?? 0}\\s`, 'm'));
      assert.equal(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0], pauseImage.config.Entrypoint![0], 'the pause image runs');
      const { containerId } = await rt.cri.createContainer({
        podSandboxId,
        sandboxConfig: config,
        config: { metadata: { name: 'main', attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command: ['sleep', '60'], logPath: 'main.log' },
      });
      await rt.cri.startContainer({ containerId });
      assert.equal((await rt.cri.containerStatus({ containerId })).status?.state, 'CONTAINER_RUNNING');
    });
  }
});
