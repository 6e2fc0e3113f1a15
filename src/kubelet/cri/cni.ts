// The node's CNI network: a bridge with host-local addresses from the podCIDR. The pod's lo is brought up by
// containerd's CRI itself (its own loopback network, run beside this one): a loopback plugin here would run twice.
// hostPorts are the kubelet's (hostports.ts), not portmap's: that plugin ran on every sandbox, with hostPorts or not.
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-file';

/** The network name containerd reports and host-local keys its allocations by. */
export const CNI_NETWORK_NAME = 'tugboat';
/** The node's pod bridge. */
export const NODE_BRIDGE = 'cni0';

/** Options beyond the contract's defaults; tests use a different bridge so they do not disturb a running node. */
export interface CniOptions {
  /** Linux bridge name (default cni0). */
  bridge?: string;
  /** Where host-local keeps its allocations (default: its own /var/lib/cni/networks). */
  ipamDataDir?: string;
  /** Whether the bridge plugin masquerades each pod with its own iptables chain (default); false when the node has one rule for all (masquerade.ts). */
  ipMasq?: boolean;
}

/** The conflist (as an object) for `podCIDR`: the pod gateway is the bridge, traffic leaving the node is masqueraded (per pod, or by the node's rule). */
export function cniConfig(podCIDR: string, opts: CniOptions = {}): object {
  return {
    cniVersion: '0.4.0',
    name: CNI_NETWORK_NAME,
    plugins: [
      {
        type: 'bridge',
        bridge: opts.bridge ?? NODE_BRIDGE,
        isGateway: true,
        ipMasq: opts.ipMasq ?? true,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: podCIDR }]],
          routes: [{ dst: '0.0.0.0/0' }],
          ...(opts.ipamDataDir ? { dataDir: opts.ipamDataDir } : {}),
        },
      },
    ],
  };
}

/** Writes the conflist into `confDir` (atomically, so the runtime never reads half a file); returns its path. */
export function writeCniConfig(confDir: string, podCIDR: string, opts: CniOptions = {}): string {
  const path = join(confDir, '10-tugboat.conflist');
  writeFileAtomic(path, JSON.stringify(cniConfig(podCIDR, opts), null, 2) + '\n');
  return path;
}
