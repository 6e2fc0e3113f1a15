// The structural schema of served kinds, derived at build time from kubernetes-types; used by patch, apply and validation.

/** One node of a resolved schema tree (references already followed; the graph may be shared, never copied). */
export interface SchemaNode {
  /** The definition this node is, e.g. io.k8s.api.apps.v1.DeploymentSpec; unset for inline schemas. */
  name?: string;
  /** Unset for values of several JSON types: IntOrString (see intOrString), Quantity (string or number). */
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  /** e.g. int32, int64, date-time, int-or-string, byte. */
  format?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  /** Map values (e.g. labels: string). `true` means any value. */
  additionalProperties?: SchemaNode | true;
  items?: SchemaNode;
  /** x-kubernetes-patch-strategy, e.g. "merge", "retainKeys", "merge,retainKeys". */
  patchStrategy?: string;
  /** x-kubernetes-patch-merge-key, e.g. "name" for containers, "containerPort" for ports. */
  patchMergeKey?: string;
  /** x-kubernetes-list-type. */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys. */
  listMapKeys?: string[];
  /** x-kubernetes-map-type. */
  mapType?: 'atomic' | 'granular';
  /** x-kubernetes-int-or-string: accepts an integer or a string. */
  intOrString?: boolean;
  /** x-kubernetes-preserve-unknown-fields (RawExtension, JSON). */
  preserveUnknownFields?: boolean;
}

/** Finds the schema of a served kind. */
export interface SchemaLookup {
  /** The schema of `io.k8s.api.apps.v1.Deployment` and the like; undefined when unknown. */
  definition(name: string): SchemaNode | undefined;
}
