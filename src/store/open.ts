// Opens a Store from a URL: the scheme picks the backend, and options a backend cannot honour are refused, never ignored.
import { resolve } from 'node:path';
import { AutoCompactOptions } from './auto-compact';
import { MemoryStore } from './memory/memory-store';
import { SqliteStore } from './sqlite/sqlite-store';
import { Store } from './types';

/** Options for openStore; each backend accepts only the ones it honours. */
export interface OpenStoreOptions extends AutoCompactOptions {
  /** etcd: how long opening waits for an answer before failing with Unavailable (default 3000). */
  dialTimeoutMs?: number;
  /** etcd: deadline of each request (default 10000). */
  requestTimeoutMs?: number;
  /**
   * Key prefixes whose writes may be acknowledged before they are durable (SqliteStoreOptions.bestEffortPrefixes).
   * A permission, not a demand: the memory store has nothing to sync and etcd syncs every write anyway.
   */
  bestEffortPrefixes?: readonly string[];
}

type OptionName = keyof OpenStoreOptions;

interface Backend {
  options: readonly OptionName[];
  open(target: string, opts: OpenStoreOptions): Promise<Store>;
}

const compaction: readonly OptionName[] = ['compactIntervalMs', 'retainRevisions', 'clock', 'bestEffortPrefixes'];

const backends: Record<string, Backend> = {
  sqlite: {
    options: compaction,
    open: async (target, opts) => new SqliteStore({ ...opts, path: sqlitePath(target) }),
  },
  memory: {
    options: compaction,
    open: async (target, opts) => {
      if (target !== '') throw new Error(`memory:// takes nothing after the scheme, got "${target}"`);
      return new MemoryStore(opts);
    },
  },
  etcd: {
    options: [...compaction, 'dialTimeoutMs', 'requestTimeoutMs'],
    // The etcd client (gRPC, protobufjs) costs ~250 ms to load: only pay for it when etcd is asked for.
    open: async (target, opts) => (await import('./etcd/etcd-store')).EtcdStore.connect({ ...opts, endpoints: etcdEndpoints(target) }),
  },
};

/**
 * Opens the store named by `url`:
 * - `sqlite:///abs/path/state.db`, `sqlite://relative/state.db`, or a bare path: the SQLite backend;
 * - `memory://`: the in-memory backend (tests);
 * - `etcd://host:port[,host:port…]` (port defaults to 2379): the etcd backend.
 * An unknown scheme, a query string, or an option the backend cannot honour throws.
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  if (url === '') throw new Error('store URL is empty');
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(url);
  const [scheme, target] = m ? [m[1].toLowerCase(), m[2]] : ['sqlite', url];
  const backend = Object.hasOwn(backends, scheme) ? backends[scheme] : undefined;
  if (!backend) {
    const known = Object.keys(backends).map((s) => `${s}://`).join(', ');
    throw new Error(`unknown store URL scheme "${scheme}://" in ${JSON.stringify(url)} (supported: ${known}, or a file path)`);
  }
  if (m && target.includes('?')) {
    throw new Error(`store URL ${JSON.stringify(url)} has a query string; pass settings as openStore options instead`);
  }
  for (const [name, value] of Object.entries(opts)) {
    if (value !== undefined && !backend.options.includes(name as OptionName)) {
      throw new Error(`option ${name} is not supported by the ${scheme} store`);
    }
  }
  return backend.open(m ? target : url, opts);
}

function sqlitePath(target: string): string {
  const path = decodeURIComponent(target);
  if (path === '') throw new Error('sqlite:// needs a file path, e.g. sqlite:///var/lib/tugboat/state.db');
  return resolve(path);
}

function etcdEndpoints(target: string): string[] {
  const list = target.replace(/\/$/, '');
  if (list === '') throw new Error('etcd:// needs at least one host:port');
  return list.split(',').map((endpoint) => {
    const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(endpoint);
    if (!m) throw new Error(`etcd endpoint "${endpoint}" is not host:port`);
    return `${m[1]}:${m[2] ?? '2379'}`;
  });
}
