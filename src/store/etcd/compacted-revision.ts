// Finds etcd's compacted revision, which no RPC reports: the oldest revision a range read still accepts.
import { Etcd3 } from 'etcd3';
import { compactedMessage } from './etcd-errors';

/**
 * The oldest readable revision (0 if nothing was ever compacted), by binary search over
 * count-only reads between `known` (a revision known readable or compacted at) and `current`:
 * about log2(current - known) round trips, and compaction is rare enough to cache `known`.
 */
export async function findCompactedRevision(client: Etcd3, known: number, current: number): Promise<number> {
  const readable = async (revision: number) => {
    try {
      await client.kv.range({ key: Buffer.from([0]), revision, count_only: true });
      return true;
    } catch (err) {
      if (err instanceof Error && err.message.includes(compactedMessage)) return false;
      throw err;
    }
  };
  let lo = Math.max(known, 1);
  if (await readable(lo)) return lo === 1 ? 0 : lo;
  let hi = current; // Always readable: compaction never passes the current revision.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await readable(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
