// The API client every component uses: one interface, served in process (same process) or over HTTPS (agents).
import type { KObject } from '../api/types';

/** Identifies a resource: group ("" for core), version and plural name. */
export interface GVR {
  group: string;
  version: string;
  resource: string;
}

/** List and watch options, as the query parameters of the same names. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
  continue?: string;
}

/** One watch event. Objects delivered by watches and lists may be shared: treat them as read-only. */
export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
}

/** Options of writes. */
export interface WriteOptions {
  dryRun?: boolean;
  /** Defaults to the client's own manager name. */
  fieldManager?: string;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** e.g. "status" or "scale". */
  subresource?: string;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** A running watch. */
export interface WatchHandle {
  stop(): void;
}

/** Operations on one resource; namespace is "" for cluster-scoped resources (or all namespaces in list/watch). */
export interface ResourceClient<T extends KObject = KObject> {
  get(namespace: string, name: string): Promise<T>;
  list(namespace: string, opts?: ListOptions): Promise<ListResult<T>>;
  create(namespace: string, obj: T, opts?: WriteOptions): Promise<T>;
  update(namespace: string, obj: T, opts?: WriteOptions): Promise<T>;
  updateStatus(namespace: string, obj: T, opts?: WriteOptions): Promise<T>;
  patch(namespace: string, name: string, type: PatchType, patch: unknown, opts?: PatchOptions): Promise<T>;
  delete(namespace: string, name: string, opts?: DeleteOptions): Promise<void>;
  /** POSTs to a subresource such as pods/binding or pods/eviction; returns the response object. */
  createSubresource(namespace: string, name: string, subresource: string, body: KObject, opts?: WriteOptions): Promise<KObject>;
  /**
   * Watches from `opts.resourceVersion` (a list's version; "" or "0" also sends the current objects as ADDED).
   * `onClose` is called once when the watch ends for any reason other than stop(); the caller re-lists.
   */
  watch(namespace: string, opts: ListOptions, onEvent: (ev: WatchEvent<T>) => void, onClose: (reason: string) => void): WatchHandle;
}

/** The entry point: a client per resource. */
export interface Client {
  resource<T extends KObject = KObject>(gvr: GVR): ResourceClient<T>;
}

/** GVRs of the built-in kinds components use most. */
export const R = {
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  pods: { group: '', version: 'v1', resource: 'pods' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  services: { group: '', version: 'v1', resource: 'services' },
  endpoints: { group: '', version: 'v1', resource: 'endpoints' },
  events: { group: '', version: 'v1', resource: 'events' },
  configmaps: { group: '', version: 'v1', resource: 'configmaps' },
  storageclasses: { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' },
  secrets: { group: '', version: 'v1', resource: 'secrets' },
  serviceaccounts: { group: '', version: 'v1', resource: 'serviceaccounts' },
  persistentvolumes: { group: '', version: 'v1', resource: 'persistentvolumes' },
  persistentvolumeclaims: { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
  resourcequotas: { group: '', version: 'v1', resource: 'resourcequotas' },
  limitranges: { group: '', version: 'v1', resource: 'limitranges' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  statefulsets: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  controllerrevisions: { group: 'apps', version: 'v1', resource: 'controllerrevisions' },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  cronjobs: { group: 'batch', version: 'v1', resource: 'cronjobs' },
  horizontalpodautoscalers: { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' },
  poddisruptionbudgets: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  priorityclasses: { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' },
} satisfies Record<string, GVR>;
