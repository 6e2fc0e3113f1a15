// The storage interface every backend (sqlite, memory, etcd) implements: a revisioned key/value log.

/** One stored key at one revision. `value` is the serialized object (JSON text). */
export interface KeyValue {
  key: string;
  value: string;
  /** Revision at which the key was (last) created. */
  createRevision: number;
  /** Revision of the last write to the key; becomes metadata.resourceVersion. */
  modRevision: number;
}

/** A change seen by a watcher. For DELETE, `kv` holds the last value and `revision` the delete's revision. */
export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  kv: KeyValue;
  /** The previous value: always for DELETE; for PUT when the replaced version is still retained (absent for a create). */
  prevKv?: KeyValue;
  revision: number;
}

export interface ListOptions {
  /** Return at most this many items (0 or undefined: all). */
  limit?: number;
  /** Start strictly after this key (pagination). */
  startAfter?: string;
  /** Read as of this revision (0 or undefined: latest). Older than compacted → StoreError 'Compacted'; newer than current → RangeError. */
  revision?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** How many more keys under the prefix follow the last returned item. */
  remaining: number;
}

/** A running watch; `stop` ends it. */
export interface WatchHandle {
  stop(): void;
}

export interface WatchOptions {
  /** Deliver events with revision > afterRevision (0: only new events). Allowed down to compactedRevision - 1, as in etcd. */
  afterRevision: number;
  /** Called for each change, in revision order. */
  onEvent(ev: WatchEvent): void;
  /** Called once if the watch cannot go on (Compacted, Unavailable when the backend is lost, Closed); the watch is then over. */
  onError(err: StoreError): void;
}

export type StoreErrorCode = 'KeyExists' | 'NotFound' | 'Conflict' | 'Compacted' | 'Unavailable' | 'Closed';

/** Backend-neutral error; the API server maps these to Kubernetes Status errors at one boundary. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** For Conflict (and KeyExists): the current value. */
    readonly current?: KeyValue,
  ) {
    super(message);
  }
}

/** A revisioned key/value store. All writes are durable when their promise resolves. */
export interface Store {
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Counts keys under prefix (for the apiserver's storage metrics and quotas). */
  count(prefix: string): Promise<number>;
  /** Fails with KeyExists if the key is present. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Fails with NotFound if absent, Conflict if `ifRevision` is given and differs from modRevision. */
  update(key: string, value: string, ifRevision?: number): Promise<KeyValue>;
  /** Returns the deleted value with modRevision = the delete's revision; NotFound if absent; Conflict on a revision mismatch. */
  delete(key: string, ifRevision?: number): Promise<KeyValue>;
  /** Watches keys under prefix from a retained revision; events arrive in order without polling delay. */
  watch(prefix: string, opts: WatchOptions): WatchHandle;
  /** The newest revision. */
  currentRevision(): Promise<number>;
  /** The oldest revision still readable (watch/list at older → Compacted); 0 if never compacted. */
  compactedRevision(): Promise<number>;
  /** Drops history older than `revision`. At or below the compacted revision: no-op; above the current: RangeError. */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
