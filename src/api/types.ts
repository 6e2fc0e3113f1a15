// What the API server knows about a kind: its REST identity and its one strategy (defaults, validation, table).
import type { ObjectMeta as ReadonlyObjectMeta } from 'kubernetes-types/meta/v1';
import type { FieldError } from '../machinery/errors';

/** metav1.ObjectMeta with the system fields writable: the server is the one that sets them. */
export type ObjectMeta = { -readonly [K in keyof ReadonlyObjectMeta]: ReadonlyObjectMeta[K] };

/** Any API object as JSON. Strategies narrow it with kubernetes-types where useful. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

/** A column of a `kubectl get` table, as metav1.TableColumnDefinition. */
export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  /** 0: shown by default; 1: only with -o wide. */
  priority: number;
}

/** Where a kind keeps its replica count, for the scale subresource. */
export interface ScaleInfo {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** Per-kind behaviour; every hook is optional and pure (no I/O, time passed in). */
export interface Strategy {
  /** Upstream defaulting; mutates obj. Runs on every create and update, before validation. */
  defaults?(obj: KObject): void;
  /** Kind-specific create preparation beyond the generic one (status cleared, generation 1). */
  prepareForCreate?(obj: KObject): void;
  /** Kind-specific update preparation beyond the generic one. */
  prepareForUpdate?(obj: KObject, old: KObject): void;
  /** Validation of a new object; field paths from the object root (e.g. `spec.replicas`). */
  validate?(obj: KObject): FieldError[];
  /** Validation of an update (immutability etc.); `validate` also runs on updates. */
  validateUpdate?(obj: KObject, old: KObject): FieldError[];
  /** Warnings returned in Warning headers (deprecations, odd values). */
  warnings?(obj: KObject): string[];
  /** Table columns after NAME (and before AGE unless a column says otherwise). */
  columns?: ColumnDefinition[];
  /** Cells for `columns`, given the object and the current time in ms. */
  row?(obj: KObject, now: number): unknown[];
  /** Extra field-selector fields beyond metadata.name/metadata.namespace, e.g. spec.nodeName. */
  selectableFields?(obj: KObject): Record<string, string>;
}

/** The REST identity of a served resource and its strategy. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** Plural lower-case name used in URLs, e.g. "deployments". */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served: status and scale are generic; others are registered by components. */
  status?: boolean;
  scale?: ScaleInfo;
  strategy: Strategy;
  /** Name of the OpenAPI definition, e.g. io.k8s.api.apps.v1.Deployment. */
  definition: string;
  /** Set when this version is not the stored one (HPA v1, events.k8s.io Event). */
  storage?: StorageBinding;
}

/** "group/version" or "v1" for the core group. */
export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export type { FieldError };

/** How a resource served in several versions (or groups) shares one stored form. */
export interface StorageBinding {
  /** The stored group, resource and version (e.g. autoscaling/horizontalpodautoscalers/v2). */
  group: string;
  resource: string;
  version: string;
  /** Converts this version's object to the stored version's (apiVersion/kind included). */
  toStorage(obj: KObject): KObject;
  /** Converts a stored object to this version. */
  fromStorage(obj: KObject): KObject;
}
