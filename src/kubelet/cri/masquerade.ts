// One node-wide MASQUERADE rule for pod traffic leaving the pod CIDR (as upstream's kubenet and ip-masq-agent do), in place of the bridge plugin's per-pod ipMasq chain.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';

// Why: with ipMasq the bridge plugin runs iptables on every sandbox's ADD and DEL (a chain, two rules and a jump per pod),
// about 20 ms each (measured: a bridge ADD takes ~45 ms with it, ~22 ms without), under the xtables lock that concurrent
// sandbox creations then queue on. One rule per node, installed when the node registers, does the same for every pod.

/** Runs a command with `input` on stdin; rejects with its stderr when it fails. */
export type Runner = (cmd: string, args: string[], input?: string) => Promise<void>;

/** Runs the command for real. */
export const runCommand: Runner = (cmd, args, input) =>
  new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 10_000 }, (err, _out, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve()));
    // A command that exits before reading its input fails on its own; the broken pipe says nothing more.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });

/** The suffix of the node's chains for `podCIDR`: one set per CIDR, so test runtimes on other subnets never touch the node's. */
export function cidrChainSuffix(podCIDR: string): string {
  return createHash('sha256').update(podCIDR).digest('hex').slice(0, 12).toUpperCase();
}

/** The nat chain masquerading `podCIDR`. */
export function masqueradeChain(podCIDR: string): string {
  return `TUGBOAT-MASQ-${cidrChainSuffix(podCIDR)}`;
}

/** iptables-restore input (used with --noflush) that (re)writes the chain: pod CIDR and multicast stay as they are, the rest is masqueraded. */
export function masqueradeRules(podCIDR: string): string {
  const chain = masqueradeChain(podCIDR);
  return ['*nat', `:${chain} - [0:0]`, `-A ${chain} -d ${podCIDR} -j RETURN`, `-A ${chain} -d 224.0.0.0/4 -j RETURN`, `-A ${chain} -j MASQUERADE`, 'COMMIT', ''].join('\n');
}

/** Installs the chain and the POSTROUTING jump from the pod CIDR to it; safe to repeat (both are left as they are on the host when tugboat stops, as upstream's kubelet leaves its rules). */
export async function ensurePodMasquerade(podCIDR: string, runner: Runner = runCommand): Promise<void> {
  await runner('iptables-restore', ['--noflush'], masqueradeRules(podCIDR));
  const rule = (op: '-C' | '-A') => ['-t', 'nat', op, 'POSTROUTING', '-s', podCIDR, '-m', 'comment', '--comment', 'tugboat: pods leaving the pod CIDR', '-j', masqueradeChain(podCIDR)];
  await runner('iptables', rule('-C')).catch(() => runner('iptables', rule('-A')));
}
