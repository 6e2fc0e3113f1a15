// The etcd v3 backend (via the etcd3 client) for multi-server control planes: CAS writes as txns, history and watch from etcd.
import { CompareResult, CompareTarget, Etcd3, ICompare, IRequestOp, ITxnResponse } from 'etcd3';
import { AutoCompactOptions, checkAutoCompactOptions, startAutoCompaction } from '../auto-compact';
import * as errors from '../errors';
import { KeyValue, ListOptions, ListResult, Store, StoreError, WatchHandle, WatchOptions } from '../types';
import { fromEtcd, keyRange } from './codec';
import { findCompactedRevision } from './compacted-revision';
import { fromEtcdError, unavailable } from './etcd-errors';
import { EtcdWatch } from './etcd-watch';

/** Options for EtcdStore.connect. */
export interface EtcdStoreOptions extends AutoCompactOptions {
  /** Client endpoints as host:port. */
  endpoints: string[];
  /** How long connect() waits for etcd to answer before failing with Unavailable (default 3000). */
  dialTimeoutMs?: number;
  /** Deadline of each request (default 10000); a watch stream has none. */
  requestTimeoutMs?: number;
}

/** A Store kept in etcd; revisions are etcd's, so several API servers can share one cluster. */
export class EtcdStore implements Store {
  private readonly watches = new Set<EtcdWatch>();
  private readonly stopCompaction: () => void;
  /** Newest revision known compacted at or before, the lower bound for findCompactedRevision. */
  private knownCompacted = 0;
  private closed = false;

  private constructor(
    private readonly client: Etcd3,
    private readonly endpoints: string[],
    opts: EtcdStoreOptions,
  ) {
    this.stopCompaction = startAutoCompaction(this, opts);
  }

  /** Connects and checks that etcd answers within dialTimeoutMs, else fails with a one-line Unavailable naming the endpoints. */
  static async connect(opts: EtcdStoreOptions): Promise<EtcdStore> {
    checkAutoCompactOptions(opts);
    if (opts.endpoints.length === 0) throw new Error('etcd store needs at least one endpoint');
    const dialTimeoutMs = opts.dialTimeoutMs ?? 3000;
    const requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
    const client = new Etcd3({
      hosts: opts.endpoints.map((e) => `http://${e}`),
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: new Date(Date.now() + requestTimeoutMs) }),
    });
    // The client retries a failed call, each attempt with its own deadline; the race caps the total.
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.kv.range({ key: Buffer.from([0]), count_only: true }, { deadline: new Date(Date.now() + dialTimeoutMs) }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${dialTimeoutMs} ms`)), dialTimeoutMs);
        }),
      ]);
    } catch (err) {
      client.close();
      throw unavailable(opts.endpoints, (err as Error).message);
    } finally {
      clearTimeout(timer);
    }
    return new EtcdStore(client, opts.endpoints, opts);
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.call(() => this.client.kv.range({ key: Buffer.from(key) }));
    return res.kvs[0] && fromEtcd(res.kvs[0]);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const req = { ...keyRange(prefix, opts.startAfter), limit: opts.limit || 0, revision: opts.revision || 0 };
    const res = await this.call(() => this.client.kv.range(req), opts.revision);
    const items = res.kvs.map(fromEtcd);
    // etcd's header carries the current revision; `count` is every key in the range at the read revision.
    return { items, revision: opts.revision || Number(res.header.revision), remaining: Number(res.count) - items.length };
  }

  async count(prefix: string): Promise<number> {
    const res = await this.call(() => this.client.kv.range({ ...keyRange(prefix), count_only: true }));
    return Number(res.count);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const k = Buffer.from(key);
    const res = await this.txn(
      [{ key: k, target: CompareTarget.Create, result: CompareResult.Equal, create_revision: 0 }],
      { request_put: { key: k, value: Buffer.from(value) } },
      k,
    );
    if (!res.succeeded) throw errors.keyExists(key, this.currentOf(res));
    const rev = Number(res.header.revision);
    return { key, value, createRevision: rev, modRevision: rev };
  }

  async update(key: string, value: string, ifRevision?: number): Promise<KeyValue> {
    const k = Buffer.from(key);
    const res = await this.txn(preconditions(k, ifRevision), { request_put: { key: k, value: Buffer.from(value), prev_kv: true } }, k);
    if (!res.succeeded) throw this.preconditionError(key, ifRevision, res);
    const prev = res.responses[0].response_put.prev_kv;
    return { key, value, createRevision: Number(prev.create_revision), modRevision: Number(res.header.revision) };
  }

  async delete(key: string, ifRevision?: number): Promise<KeyValue> {
    const k = Buffer.from(key);
    const res = await this.txn(preconditions(k, ifRevision), { request_delete_range: { key: k, prev_kv: true } }, k);
    if (!res.succeeded) throw this.preconditionError(key, ifRevision, res);
    const last = fromEtcd(res.responses[0].response_delete_range.prev_kvs[0]);
    return { ...last, modRevision: Number(res.header.revision) };
  }

  watch(prefix: string, opts: WatchOptions): WatchHandle {
    if (this.closed) {
      queueMicrotask(() => opts.onError(errors.closed()));
      return { stop() {} };
    }
    const describe = (err: unknown) => {
      const mapped = this.closed ? errors.closed() : fromEtcdError(err, this.endpoints, opts.afterRevision + 1);
      return mapped instanceof StoreError ? mapped : unavailable(this.endpoints, mapped.message);
    };
    const w = new EtcdWatch(this.client, prefix, opts, describe, (done) => this.watches.delete(done));
    this.watches.add(w);
    return w;
  }

  async currentRevision(): Promise<number> {
    const res = await this.call(() => this.client.kv.range({ key: Buffer.from([0]), count_only: true }));
    return Number(res.header.revision);
  }

  async compactedRevision(): Promise<number> {
    const current = await this.currentRevision();
    this.knownCompacted = await this.call(() => findCompactedRevision(this.client, this.knownCompacted, current));
    return this.knownCompacted;
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.call(() => this.client.kv.compact({ revision }), revision);
    } catch (err) {
      // Compacting at or below an earlier compaction is a no-op, as in the other backends.
      if (!(err instanceof StoreError && err.code === 'Compacted')) throw err;
      return;
    }
    this.knownCompacted = Math.max(this.knownCompacted, revision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopCompaction();
    for (const w of [...this.watches]) w.fail(errors.closed());
    this.client.close();
  }

  /** Runs one etcd call with the store's error mapping (`revision` names the revision read, for messages). */
  private async call<T>(fn: () => Promise<T>, revision?: number): Promise<T> {
    if (this.closed) throw errors.closed();
    try {
      return await fn();
    } catch (err) {
      throw this.closed ? errors.closed() : fromEtcdError(err, this.endpoints, revision);
    }
  }

  /** A txn that runs `success` if every compare holds, else reads `key` so the caller can tell why. */
  private txn(compare: ICompare[], success: IRequestOp, key: Buffer): Promise<ITxnResponse> {
    return this.call(() => this.client.kv.txn({ compare, success: [success], failure: [{ request_range: { key } }] }));
  }

  private currentOf(res: ITxnResponse): KeyValue | undefined {
    const kv = res.responses[0]?.response_range.kvs[0];
    return kv && fromEtcd(kv);
  }

  private preconditionError(key: string, ifRevision: number | undefined, res: ITxnResponse): StoreError {
    const current = this.currentOf(res);
    if (!current) return errors.notFound(key);
    return errors.conflict(key, ifRevision ?? 0, current);
  }
}

/** The key exists and, when `ifRevision` is given, was last written at it. */
function preconditions(key: Buffer, ifRevision: number | undefined): ICompare[] {
  const exists: ICompare = { key, target: CompareTarget.Version, result: CompareResult.Greater, version: 0 };
  if (ifRevision === undefined) return [exists];
  return [exists, { key, target: CompareTarget.Mod, result: CompareResult.Equal, mod_revision: ifRevision }];
}
