// The sandbox's init process, as a static x86_64 executable of 192 bytes: no compiler is needed to build the image.
//
// What it does (upstream's pause does the same two things in C):
//   rt_sigaction(SIGCHLD, {SIG_IGN}): the kernel then reaps its children at once. In a pod that shares its process
//     namespace, pause is PID 1 and inherits every orphan; busybox sleep there left each one a zombie.
//   for (;;) pause(): sleeps holding the pod's namespaces. containerd stops a sandbox with SIGKILL, so no handlers.
//
// Layout: the ELF header (64 bytes), one PT_LOAD program header (56) mapping the whole file read+execute at
// 0x400000, the code at 0x78 and the struct sigaction at 0xa0.
//
//   0x78  b8 0d 00 00 00         mov  eax, 13            ; rt_sigaction
//   0x7d  bf 11 00 00 00         mov  edi, 17            ; SIGCHLD
//   0x82  48 8d 35 17 00 00 00   lea  rsi, [rip+0x17]    ; &act (0x89 + 0x17 = 0xa0)
//   0x89  31 d2                  xor  edx, edx           ; no old action
//   0x8b  41 ba 08 00 00 00      mov  r10d, 8            ; sizeof(sigset_t)
//   0x91  0f 05                  syscall
//   0x93  b8 22 00 00 00         mov  eax, 34            ; pause
//   0x98  0f 05                  syscall
//   0x9a  eb f7                  jmp  0x93
//   0x9c  00 00 00 00            (padding)
//   0xa0  act: handler SIG_IGN (1), flags 0, restorer 0, mask 0 (8 bytes each)

const BASE = 0x400000;
const CODE_AT = 0x78;
const SIZE = 0xc0;

const CODE = [
  0xb8, 0x0d, 0x00, 0x00, 0x00, // mov eax, 13
  0xbf, 0x11, 0x00, 0x00, 0x00, // mov edi, 17
  0x48, 0x8d, 0x35, 0x17, 0x00, 0x00, 0x00, // lea rsi, [rip+0x17]
  0x31, 0xd2, // xor edx, edx
  0x41, 0xba, 0x08, 0x00, 0x00, 0x00, // mov r10d, 8
  0x0f, 0x05, // syscall
  0xb8, 0x22, 0x00, 0x00, 0x00, // mov eax, 34
  0x0f, 0x05, // syscall
  0xeb, 0xf7, // jmp back to mov eax, 34
];

/** The pause executable for `arch` (Node's name), or undefined where there is none (the image then sleeps with busybox). */
export function pauseExecutable(arch: string = process.arch): Buffer | undefined {
  if (arch !== 'x64') return undefined;
  const b = Buffer.alloc(SIZE);
  // ELF header
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0); // magic, 64-bit, little-endian, version 1, System V
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(0x3e, 18); // EM_X86_64
  b.writeUInt32LE(1, 20); // EV_CURRENT
  b.writeBigUInt64LE(BigInt(BASE + CODE_AT), 24); // e_entry
  b.writeBigUInt64LE(64n, 32); // e_phoff
  b.writeUInt16LE(64, 52); // e_ehsize
  b.writeUInt16LE(56, 54); // e_phentsize
  b.writeUInt16LE(1, 56); // e_phnum
  // program header: PT_LOAD, R+X, the whole file at BASE
  b.writeUInt32LE(1, 64);
  b.writeUInt32LE(5, 68);
  b.writeBigUInt64LE(0n, 72); // p_offset
  b.writeBigUInt64LE(BigInt(BASE), 80); // p_vaddr
  b.writeBigUInt64LE(BigInt(BASE), 88); // p_paddr
  b.writeBigUInt64LE(BigInt(SIZE), 96); // p_filesz
  b.writeBigUInt64LE(BigInt(SIZE), 104); // p_memsz
  b.writeBigUInt64LE(0x1000n, 112); // p_align
  b.set(CODE, CODE_AT);
  b.writeBigUInt64LE(1n, 0xa0); // act.sa_handler = SIG_IGN; the rest stays zero
  return b;
}
