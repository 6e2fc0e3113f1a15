// The OpenAPI shapes tugboat emits: v2 schemas as kept in definitions.json, and the group-version-kind extension.

/** One entry of x-kubernetes-group-version-kind. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** An OpenAPI v2 schema; `$ref`s point at `#/definitions/<name>`. */
export interface OpenAPISchema {
  $ref?: string;
  description?: string;
  type?: string;
  format?: string;
  properties?: Record<string, OpenAPISchema>;
  required?: string[];
  items?: OpenAPISchema;
  additionalProperties?: OpenAPISchema;
  oneOf?: OpenAPISchema[];
  allOf?: OpenAPISchema[];
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-unions'?: unknown[];
}

/** Every generated definition by upstream name, e.g. io.k8s.api.apps.v1.Deployment. */
export type Definitions = Record<string, OpenAPISchema>;

/** The `$ref` value pointing at a definition in a v2 document. */
export const refTo = (name: string): string => `#/definitions/${name}`;

/** The definition name a v2 `$ref` points at. */
export const refName = (ref: string): string => ref.slice('#/definitions/'.length);

/** IntOrString, which kubernetes-types writes inline as `number | string`. */
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Quantity: a string or a number on the wire. */
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
