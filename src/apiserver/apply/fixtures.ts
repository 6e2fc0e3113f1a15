// Hand-built schemas mirroring upstream's list and map types (containers keyed by name, ports by containerPort+protocol…), for the tests.
import type { SchemaNode } from '../../api/schema';

const str: SchemaNode = { type: 'string' };
const int: SchemaNode = { type: 'integer' };
const bool: SchemaNode = { type: 'boolean' };
const stringMap: SchemaNode = { type: 'object', additionalProperties: str };

const ownerReference: SchemaNode = {
  type: 'object',
  mapType: 'atomic',
  properties: { apiVersion: str, kind: str, name: str, uid: str, controller: bool },
};

/** ObjectMeta: labels and annotations granular maps, finalizers a set, ownerReferences keyed by uid. */
export const objectMeta: SchemaNode = {
  type: 'object',
  properties: {
    name: str,
    namespace: str,
    uid: str,
    resourceVersion: str,
    generation: int,
    creationTimestamp: str,
    labels: stringMap,
    annotations: stringMap,
    finalizers: { type: 'array', items: str, listType: 'set', patchStrategy: 'merge' },
    ownerReferences: { type: 'array', items: ownerReference, listType: 'map', listMapKeys: ['uid'], patchMergeKey: 'uid', patchStrategy: 'merge' },
    managedFields: { type: 'array', items: { type: 'object', properties: { manager: str } } },
  },
};

const containerPort: SchemaNode = { type: 'object', properties: { containerPort: int, protocol: str, name: str } };

/** A container: ports keyed by containerPort+protocol, env keyed by name through patchMergeKey only, args atomic. */
export const container: SchemaNode = {
  type: 'object',
  properties: {
    name: str,
    image: str,
    args: { type: 'array', items: str },
    ports: {
      type: 'array',
      items: containerPort,
      listType: 'map',
      listMapKeys: ['containerPort', 'protocol'],
      patchMergeKey: 'containerPort',
      patchStrategy: 'merge',
    },
    env: { type: 'array', items: { type: 'object', properties: { name: str, value: str } }, patchMergeKey: 'name', patchStrategy: 'merge' },
    resources: { type: 'object', properties: { limits: stringMap, requests: stringMap } },
  },
};

const podSpec: SchemaNode = {
  type: 'object',
  properties: {
    containers: { type: 'array', items: container, listType: 'map', listMapKeys: ['name'], patchMergeKey: 'name', patchStrategy: 'merge' },
    nodeSelector: { ...stringMap, mapType: 'atomic' },
    tolerations: { type: 'array', items: { type: 'object', properties: { key: str, operator: str } } },
  },
};

/** apps/v1 Deployment, trimmed to the fields the tests use. */
export const deploymentSchema: SchemaNode = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: {
      type: 'object',
      properties: {
        replicas: int,
        paused: bool,
        selector: { type: 'object', mapType: 'atomic', properties: { matchLabels: stringMap } },
        strategy: {
          type: 'object',
          properties: {
            type: str,
            rollingUpdate: { type: 'object', properties: { maxSurge: { intOrString: true }, maxUnavailable: { intOrString: true } } },
          },
        },
        template: { type: 'object', properties: { metadata: objectMeta, spec: podSpec } },
      },
    },
    status: { type: 'object', properties: { replicas: int, readyReplicas: int } },
  },
};

/** v1 ConfigMap: data is a granular map. */
export const configMapSchema: SchemaNode = {
  type: 'object',
  properties: { apiVersion: str, kind: str, metadata: objectMeta, data: stringMap },
};

/** A Deployment manifest with one container "app". */
export function deployment(spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', ...meta },
    spec,
  };
}
