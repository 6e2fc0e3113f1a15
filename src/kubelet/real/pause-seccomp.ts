// The seccomp profile of the pod sandbox's pause process: the syscalls runc makes after it loads the filter (the Go
// runtime, dropping to the pod's user, waiting on the exec fifo, execve) and those of a process that sleeps until it
// is signalled (tugboat's /pause, images/pause-elf.ts; busybox sleep; or upstream's pause). Anything else fails with
// EPERM, as under RuntimeDefault.
//
// Upstream's kubelet gives every sandbox RuntimeDefault (kubernetes#84623) so that a pod-level profile never applies
// to pause. A profile of its own keeps that and is narrower still. Why not RuntimeDefault: runc builds the filter
// from the profile's ~350 rules, for three architectures, on every sandbox start, ~20 ms of each pod on our 2-core
// machines; this one's ~70 rules cost nothing measurable (A/B of the two on one containerd).
import { join } from 'node:path';
import type { SecurityProfile } from '../../cri/types';
import { writeFileAtomic } from '../../util/atomic-file';

/** Allowed outright. Names the kernel's architecture lacks are skipped by runc. */
const PAUSE_SYSCALLS = [
  // process start (static binaries, the Go runtime)
  'arch_prctl', 'brk', 'execve', 'getrandom', 'mmap', 'mprotect', 'munmap', 'madvise', 'rseq', 'set_robust_list', 'set_tid_address',
  'prlimit64', 'getrlimit', 'sched_getaffinity', 'sched_yield', 'uname', 'access',
  // threads, time and signals
  'futex', 'gettid', 'tgkill', 'kill', 'nanosleep', 'clock_nanosleep', 'clock_gettime', 'pause', 'wait4',
  'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn', 'sigaltstack', 'exit', 'exit_group',
  // files: runc's exec fifo, closing inherited descriptors, reading its own /proc entries
  'openat', 'read', 'write', 'close', 'close_range', 'dup', 'dup2', 'dup3', 'fcntl', 'pipe2', 'fstat', 'fstatfs', 'newfstatat',
  'getdents64', 'readlink', 'readlinkat', 'epoll_create1', 'epoll_ctl', 'epoll_pwait', 'chdir', 'fchdir', 'getcwd',
  // becoming the sandbox's user with its capabilities
  'capget', 'capset', 'prctl', 'setgroups', 'setuid', 'setgid', 'setresuid', 'setresgid',
  'getuid', 'geteuid', 'getgid', 'getegid', 'getpid', 'getppid',
];

// clone only for threads and plain children: no new namespaces (a user namespace needs no capability), as RuntimeDefault.
const CLONE_NEW_NAMESPACES = 0x7e020000;

/** The profile in the JSON form runtimes load for Localhost (docker/containerd seccomp profile); undefined where untested. */
export function pauseSeccompProfile(arch: string = process.arch): object | undefined {
  // Verified on x86_64 (each syscall the sandbox made was logged with SCMP_ACT_LOG); other architectures keep RuntimeDefault.
  if (arch !== 'x64') return undefined;
  return {
    defaultAction: 'SCMP_ACT_ERRNO',
    architectures: ['SCMP_ARCH_X86_64'],
    syscalls: [
      { names: PAUSE_SYSCALLS, action: 'SCMP_ACT_ALLOW' },
      { names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: CLONE_NEW_NAMESPACES, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }] },
    ],
  };
}

/** Writes the pause profile under `dataDir` (atomically: a sandbox may be starting) and returns the sandbox's seccomp; RuntimeDefault where there is no profile. */
export function sandboxSeccomp(dataDir: string, arch: string = process.arch): SecurityProfile {
  const profile = pauseSeccompProfile(arch);
  if (!profile) return { profileType: 'RuntimeDefault', localhostRef: '' };
  const path = join(dataDir, 'seccomp', 'tugboat-pause.json');
  writeFileAtomic(path, JSON.stringify(profile, null, 2) + '\n');
  return { profileType: 'Localhost', localhostRef: path };
}
