// Addresses of sim nodes: a /24 pod CIDR and an InternalIP per node index, and pod IPs handed out from the CIDR.

/** Node indexes available: /24s from 10.244.0.0 up to 10.255.255.0, then 10.112.0.0–10.243.255.0 (past the service range). */
export const MAX_NODE_INDEX = 12 * 256 + 132 * 256;

/** The pod CIDR of node index `i` (0 → 10.244.0.0/24, 1 → 10.244.1.0/24, …). */
export function podCIDRForIndex(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= MAX_NODE_INDEX) throw new Error(`node index ${i} out of range`);
  const j = i < 3072 ? 244 * 256 + i : 112 * 256 + (i - 3072);
  return `10.${j >> 8}.${j & 255}.0/24`;
}

/** The node index of a pod CIDR made by podCIDRForIndex, or undefined for any other CIDR. */
export function indexOfPodCIDR(cidr: string | undefined): number | undefined {
  const m = /^10\.(\d+)\.(\d+)\.0\/24$/.exec(cidr ?? '');
  if (!m) return undefined;
  const j = Number(m[1]) * 256 + Number(m[2]);
  if (j >= 244 * 256 && j < 256 * 256) return j - 244 * 256;
  if (j >= 112 * 256 && j < 244 * 256) return 3072 + j - 112 * 256;
  return undefined;
}

/** The InternalIP of node index `i`: 172.18.0.2 upward, like a kind network. */
export function internalIPForIndex(i: number): string {
  const host = i + 2;
  return `172.${18 + Math.floor(host / 65536)}.${(host >> 8) & 255}.${host & 255}`;
}

/** The lowest index not in `used`, preferring `preferred` when it is free. */
export function pickNodeIndex(used: { has(i: number): boolean }, preferred?: number): number | undefined {
  if (preferred !== undefined && preferred >= 0 && preferred < MAX_NODE_INDEX && !used.has(preferred)) return preferred;
  for (let i = 0; i < MAX_NODE_INDEX; i++) if (!used.has(i)) return i;
  return undefined;
}

/** Pod IPs of one node's /24: .2–.254 (.1 is the bridge), each held by one pod uid until released. */
export class PodIPAllocator {
  private readonly prefix: string;
  private readonly byUid = new Map<string, number>();
  private readonly used = new Set<number>();
  private next = 2;

  constructor(cidr: string) {
    this.prefix = cidr.slice(0, cidr.lastIndexOf('.') + 1);
  }

  /** Records that `uid` holds `ip` (a pod found with an address, e.g. after a restart); false if it is not in this range. */
  hold(uid: string, ip: string): boolean {
    if (!ip.startsWith(this.prefix)) return false;
    const host = Number(ip.slice(this.prefix.length));
    if (!(host >= 2 && host <= 254)) return false;
    if (this.byUid.get(uid) === host) return true;
    this.release(uid);
    this.byUid.set(uid, host);
    this.used.add(host);
    return true;
  }

  /** The address of `uid`, allocating one if it has none; undefined when the range is full. */
  allocate(uid: string): string | undefined {
    const held = this.byUid.get(uid);
    if (held !== undefined) return this.prefix + held;
    // Round-robin from the last allocation, so a freed address is not reused at once.
    for (let n = 0; n < 253; n++) {
      const host = ((this.next - 2 + n) % 253) + 2;
      if (this.used.has(host)) continue;
      this.used.add(host);
      this.byUid.set(uid, host);
      this.next = host + 1;
      return this.prefix + host;
    }
    return undefined;
  }

  /** Frees the address of `uid`. */
  release(uid: string): void {
    const host = this.byUid.get(uid);
    if (host === undefined) return;
    this.byUid.delete(uid);
    this.used.delete(host);
  }

  /** Addresses in use. */
  get size(): number {
    return this.used.size;
  }
}
