// Resolves the generated definitions into the shared SchemaNode graph of src/api/schema.ts.
import type { SchemaLookup, SchemaNode } from '../schema';
import { loadDefinitions } from './definitions';
import { Definitions, INT_OR_STRING, OpenAPISchema, QUANTITY, refName } from './spec';

// What the decoder accepts for the apimachinery types with custom JSON handling (upstream's structural schemas agree).
const special: Record<string, SchemaNode> = {
  [INT_OR_STRING]: { format: 'int-or-string', intOrString: true },
  [QUANTITY]: {},
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object', preserveUnknownFields: true },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { type: 'object', preserveUnknownFields: true },
};

/** A lookup over `defs`, resolving the whole graph on the first call (a few ms; cycles are fine). */
export function schemaLookupFrom(defs: Definitions): SchemaLookup {
  let nodes: Map<string, SchemaNode> | undefined;
  return {
    definition(name) {
      nodes ??= resolveAll(defs);
      return nodes.get(name);
    },
  };
}

let shared: SchemaLookup | undefined;

/** The process-wide lookup over the build's definitions.json, which is read on the first definition() call. */
export function schemaLookup(): SchemaLookup {
  if (!shared) {
    let inner: SchemaLookup | undefined;
    shared = { definition: (name) => (inner ??= schemaLookupFrom(loadDefinitions())).definition(name) };
  }
  return shared;
}

function resolveAll(defs: Definitions): Map<string, SchemaNode> {
  const nodes = new Map<string, SchemaNode>();
  for (const name of Object.keys(defs)) nodes.set(name, { name });
  // A reference with its own patch or map extensions (DeploymentSpec.strategy: retainKeys) needs its own node; it
  // is a shallow copy of the target, made once every target is complete, so children stay shared.
  const pending: [SchemaNode, SchemaNode][] = [];
  const toNode = (s: OpenAPISchema): SchemaNode => {
    if (s.$ref) {
      const target = nodes.get(refName(s.$ref));
      if (!target) throw new Error(`dangling reference ${s.$ref}`);
      const own = extensions(s);
      if (!Object.keys(own).length) return target;
      pending.push([own, target]);
      return own;
    }
    const n: SchemaNode = { ...extensions(s) };
    if (s.type) n.type = s.type as SchemaNode['type'];
    if (s.format) n.format = s.format;
    if (s.description) n.description = s.description;
    if (s.properties) n.properties = Object.fromEntries(Object.entries(s.properties).map(([k, p]) => [k, toNode(p)]));
    if (s.required) n.required = s.required;
    if (s.items) n.items = toNode(s.items);
    if (s.additionalProperties) n.additionalProperties = toNode(s.additionalProperties);
    return n;
  };
  for (const [name, s] of Object.entries(defs)) {
    const n = special[name] ? { ...special[name], description: s.description } : toNode(s);
    Object.assign(nodes.get(name)!, n, { name });
  }
  for (const [own, target] of pending) Object.assign(own, { ...target, ...own });
  return nodes;
}

function extensions(s: OpenAPISchema): SchemaNode {
  const n: SchemaNode = {};
  if (s['x-kubernetes-patch-strategy']) n.patchStrategy = s['x-kubernetes-patch-strategy'];
  if (s['x-kubernetes-patch-merge-key']) n.patchMergeKey = s['x-kubernetes-patch-merge-key'];
  if (s['x-kubernetes-list-type']) n.listType = s['x-kubernetes-list-type'] as SchemaNode['listType'];
  if (s['x-kubernetes-list-map-keys']) n.listMapKeys = s['x-kubernetes-list-map-keys'];
  if (s['x-kubernetes-map-type']) n.mapType = s['x-kubernetes-map-type'] as SchemaNode['mapType'];
  return n;
}
