// hostPorts of the node's pods as nat rules the kubelet keeps (as upstream's kubenet hostport manager did), in place of the portmap CNI plugin.
import { writeFile } from 'node:fs/promises';
import type { Protocol } from '../../cri/types';
import { logger } from '../../util/log';
import { cidrChainSuffix, runCommand, type Runner } from './masquerade';

const log = logger('kubelet');

// Why: portmap runs on every sandbox's ADD and DEL whether or not the pod has a hostPort; its exec and libcni's step to
// it cost ~8 ms of each pod start here. Kept by the kubelet, the rules cost only the pods that have hostPorts.

/** One hostPort of a pod, DNATed to the pod's IP. */
export interface HostPortMapping {
  protocol: Protocol;
  hostPort: number;
  /** Only traffic to this node address is forwarded (upstream's hostIP); empty: every local address. */
  hostIP?: string;
  podIP: string;
  containerPort: number;
  /** namespace/name, for the rule's comment. */
  pod: string;
}

/** The packet mark asking for masquerade (bit 13, portmap's default masquerade bit). */
const MASQ_MARK = '0x2000/0x2000';

/** The nat chains for `podCIDR`: forwarding and masquerade. */
export function hostportChains(podCIDR: string): { ports: string; masq: string } {
  const h = cidrChainSuffix(podCIDR);
  return { ports: `TUGBOAT-HP-${h}`, masq: `TUGBOAT-HP-MASQ-${h}` };
}

/**
 * iptables-restore input (used with --noflush) that rewrites both chains for `mappings`. Connections from pods (the
 * pod itself included) and from the node's loopback are marked for masquerade, so the replies come back through the
 * node to be un-DNATed instead of going straight across the bridge.
 */
export function hostportRules(podCIDR: string, mappings: readonly HostPortMapping[]): string {
  const { ports, masq } = hostportChains(podCIDR);
  const lines = ['*nat', `:${ports} - [0:0]`, `:${masq} - [0:0]`];
  for (const m of mappings) {
    const proto = m.protocol.toLowerCase();
    const match = `-p ${proto} -m ${proto} --dport ${m.hostPort}${m.hostIP ? ` -d ${m.hostIP}` : ''} -m comment --comment "${m.pod} hostPort ${m.hostPort}"`;
    lines.push(`-A ${ports} ${match} -s ${podCIDR} -j MARK --set-xmark ${MASQ_MARK}`);
    lines.push(`-A ${ports} ${match} -s 127.0.0.0/8 -j MARK --set-xmark ${MASQ_MARK}`);
    lines.push(`-A ${ports} ${match} -j DNAT --to-destination ${m.podIP}:${m.containerPort}`);
  }
  lines.push(`-A ${masq} -m mark --mark ${MASQ_MARK} -j MASQUERADE`, 'COMMIT', '');
  return lines.join('\n');
}

/** The jumps into the chains: traffic to any local address, arriving or sent by the node itself; then masquerade. */
function jumps(podCIDR: string): string[][] {
  const { ports, masq } = hostportChains(podCIDR);
  const comment = ['-m', 'comment', '--comment', `tugboat: hostPorts of ${podCIDR}`];
  return [
    ['PREROUTING', '-m', 'addrtype', '--dst-type', 'LOCAL', ...comment, '-j', ports],
    ['OUTPUT', '-m', 'addrtype', '--dst-type', 'LOCAL', ...comment, '-j', ports],
    ['POSTROUTING', ...comment, '-j', masq],
  ];
}

/** The node's hostPort rules, rewritten whenever the set of mappings changes; calls are applied one at a time. */
export class HostPorts {
  private readonly byPod = new Map<string, HostPortMapping[]>();
  private applied?: string;
  private jumped = false;
  private queue: Promise<void> = Promise.resolve();
  /** Where the rules in force send each UDP hostPort ("podIP:port" of its mappings). */
  private udpTargets = new Map<number, string>();
  private conntrackMissing = false;

  constructor(
    private readonly podCIDR: string,
    /** The pods' bridge: connections from the node's loopback are routed onto it (route_localnet). */
    private readonly bridge: string,
    private readonly runner: Runner = runCommand,
  ) {}

  /** Sets the mappings of the pod with `uid` (none: forgets it); resolves once the rules in force include them. */
  set(uid: string, mappings: readonly HostPortMapping[]): Promise<void> {
    // Every killed pod forgets its mappings; most never had any, and then there is nothing to rewrite.
    if (!mappings.length && !this.byPod.has(uid)) return this.queue;
    if (mappings.length) this.byPod.set(uid, [...mappings]);
    else this.byPod.delete(uid);
    return this.apply();
  }

  /** Removes every rule and jump of this CIDR (test runtimes going away; the node keeps its own, as upstream). */
  async remove(): Promise<void> {
    this.byPod.clear();
    await this.queue;
    const { ports, masq } = hostportChains(this.podCIDR);
    for (const j of jumps(this.podCIDR)) await this.runner('iptables', ['-t', 'nat', '-D', ...j]).catch(() => undefined);
    for (const c of [ports, masq]) {
      await this.runner('iptables', ['-t', 'nat', '-F', c]).catch(() => undefined);
      await this.runner('iptables', ['-t', 'nat', '-X', c]).catch(() => undefined);
    }
    this.applied = undefined;
    this.jumped = false;
    this.udpTargets.clear();
  }

  /**
   * UDP has no connection to end: packets sent to a hostPort before its rule existed (or while it pointed at another
   * pod) left a conntrack entry that keeps their old translation, and the sender's next packets would follow it. As
   * upstream's hostport manager, entries to a UDP port forwarded anew (or elsewhere) are deleted once its rule is in
   * (deleted before, a packet in between would make a new entry without the DNAT). Needs conntrack(8); without it, a
   * warning.
   */
  private async clearUdpConntrack(port: number): Promise<void> {
    if (this.conntrackMissing) return;
    try {
      await this.runner('conntrack', ['-D', '-p', 'udp', '--dport', String(port)]);
    } catch (e) {
      const msg = (e as Error).message;
      if (msg.includes('0 flow entries')) return; // nothing to delete: conntrack exits 1
      if (msg.includes('ENOENT')) {
        this.conntrackMissing = true;
        log.warn('conntrack not found: stale UDP conntrack entries of hostPorts are not cleared', { port });
        return;
      }
      log.warn('clearing UDP conntrack entries failed', { port, err: msg });
    }
  }

  private apply(): Promise<void> {
    const run = this.queue.then(async () => {
      const all = [...this.byPod.values()].flat().sort((a, b) => a.hostPort - b.hostPort || a.protocol.localeCompare(b.protocol));
      const rules = hostportRules(this.podCIDR, all);
      if (rules === this.applied) return;
      await this.runner('iptables-restore', ['--noflush'], rules);
      this.applied = rules;
      const udp = new Map<number, string>();
      for (const m of all) if (m.protocol === 'UDP') udp.set(m.hostPort, [udp.get(m.hostPort), `${m.podIP}:${m.containerPort}`].filter(Boolean).join(','));
      for (const [port, target] of udp) if (this.udpTargets.get(port) !== target) await this.clearUdpConntrack(port);
      this.udpTargets = udp;
      if (!this.jumped) {
        for (const j of jumps(this.podCIDR)) await this.runner('iptables', ['-t', 'nat', '-C', ...j]).catch(() => this.runner('iptables', ['-t', 'nat', '-A', ...j]));
        this.jumped = true;
      }
      // Without it the kernel drops loopback-sourced packets routed onto the bridge (the bridge exists once a pod has run).
      if (all.length) await writeFile(`/proc/sys/net/ipv4/conf/${this.bridge}/route_localnet`, '1').catch(() => undefined);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
