// Conversions between tugboat's string keys and values and etcd's byte ranges and key-values.
import { IKeyValue } from 'etcd3';
import { KeyValue } from '../types';

/** etcd's "every key" range bound: a single zero byte. */
const zero = Buffer.from([0]);

/** The etcd range [key, rangeEnd) of keys under `prefix` and, when given, strictly after `startAfter`. */
export function keyRange(prefix: string, startAfter?: string): { key: Buffer; range_end: Buffer } {
  const start = startAfter !== undefined && startAfter >= prefix ? Buffer.concat([Buffer.from(startAfter), zero]) : Buffer.from(prefix);
  return { key: start.length === 0 ? zero : start, range_end: prefixEnd(Buffer.from(prefix)) };
}

/** The first byte string after every key starting with `prefix` (a zero byte means "no end"). */
function prefixEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i]++;
      return end;
    }
  }
  return zero;
}

/** An etcd key-value as a KeyValue (etcd sends int64 revisions as decimal strings). */
export function fromEtcd(kv: IKeyValue): KeyValue {
  return {
    key: kv.key.toString(),
    value: kv.value.toString(),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
  };
}
