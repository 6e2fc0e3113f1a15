// One etcd watch: its own gRPC stream from a start revision with prevKv, mapped to WatchEvents; compaction ends it with Compacted.
import { Etcd3, IEvent, IWatchRequest, IWatchResponse } from 'etcd3';
import { deliver } from '../deliver';
import * as errors from '../errors';
import { StoreError, WatchEvent, WatchHandle, WatchOptions } from '../types';
import { fromEtcd, keyRange } from './codec';

/** The duplex gRPC stream of etcd's Watch RPC, as the etcd3 client hands it out. */
type WatchStream = Awaited<ReturnType<Etcd3['watchClient']['watch']>>;

/**
 * Ends a watch stream without counting it as a failure: the etcd3 client marks a host failed
 * (and may open its circuit breaker) on a CANCELLED error from a stream still writable, so
 * half-close first.
 */
function closeStream(stream: WatchStream): void {
  stream.end();
  stream.cancel();
}

/** A watch on one stream; it ends on stop(), on close of the store, or with one onError. */
export class EtcdWatch implements WatchHandle {
  private stream?: WatchStream;
  private done = false;

  constructor(
    client: Etcd3,
    prefix: string,
    private readonly opts: WatchOptions,
    /** Turns a client error into the StoreError reported to onError. */
    private readonly describe: (err: unknown) => StoreError,
    /** Called once when the watch ends, so the store can forget it. */
    private readonly onEnd: (w: EtcdWatch) => void,
  ) {
    const request: IWatchRequest = { create_request: { ...keyRange(prefix), prev_kv: true } };
    if (opts.afterRevision > 0) request.create_request!.start_revision = opts.afterRevision + 1;
    client.watchClient.watch().then(
      (stream) => {
        if (this.done) return closeStream(stream);
        this.stream = stream;
        stream.on('data', (res) => this.receive(res));
        stream.on('error', (err) => this.fail(this.describe(err)));
        stream.on('end', () => this.fail(new StoreError('Unavailable', 'etcd ended the watch stream')));
        stream.write(request);
      },
      (err) => this.fail(this.describe(err)),
    );
  }

  stop(): void {
    if (this.done) return;
    this.done = true;
    if (this.stream) closeStream(this.stream);
    this.onEnd(this);
  }

  /** Ends the watch and reports `err`, once. */
  fail(err: StoreError): void {
    if (this.done) return;
    this.stop();
    this.opts.onError(err);
  }

  private receive(res: IWatchResponse): void {
    if (this.done) return;
    const compactedAt = Number(res.compact_revision);
    if (compactedAt > 0) return this.fail(errors.compacted(this.opts.afterRevision + 1, compactedAt));
    if (res.canceled) return this.fail(new StoreError('Unavailable', `etcd cancelled the watch: ${res.cancel_reason || 'no reason given'}`));
    for (const ev of res.events) {
      if (this.done) return;
      deliver(this.opts, toWatchEvent(ev));
    }
  }
}

/** An etcd event as a WatchEvent; a DELETE takes its value and createRevision from prevKv. */
function toWatchEvent(ev: IEvent): WatchEvent {
  const kv = fromEtcd(ev.kv);
  const prevKv = ev.prev_kv ? fromEtcd(ev.prev_kv) : undefined;
  if (String(ev.type) === 'Delete') {
    const last = prevKv ?? { ...kv, createRevision: 0 };
    return { type: 'DELETE', kv: { ...last, modRevision: kv.modRevision }, prevKv: last, revision: kv.modRevision };
  }
  return { type: 'PUT', kv, ...(prevKv && { prevKv }), revision: kv.modRevision };
}
