// Hand-built SchemaNode trees for the patch tests, carrying upstream's patch strategies and merge keys (k8s.io/api v1.32).
import type { SchemaNode } from '../../api/schema';

const string: SchemaNode = { type: 'string' };
const integer: SchemaNode = { type: 'integer', format: 'int32' };
const boolean: SchemaNode = { type: 'boolean' };
const intOrString: SchemaNode = { type: 'string', format: 'int-or-string', intOrString: true };
const stringMap: SchemaNode = { type: 'object', additionalProperties: string };
const quantityMap: SchemaNode = { type: 'object', additionalProperties: { type: 'string', format: 'quantity' } };

const object = (properties: Record<string, SchemaNode>): SchemaNode => ({ type: 'object', properties });
const atomicList = (items: SchemaNode): SchemaNode => ({ type: 'array', items, listType: 'atomic' });
const mergeList = (items: SchemaNode, patchMergeKey: string, listMapKeys = [patchMergeKey]): SchemaNode => ({
  type: 'array',
  items,
  patchStrategy: 'merge',
  patchMergeKey,
  listType: 'map',
  listMapKeys,
});

const objectMeta = object({
  name: string,
  namespace: string,
  uid: string,
  resourceVersion: string,
  generation: { type: 'integer', format: 'int64' },
  creationTimestamp: { type: 'string', format: 'date-time' },
  labels: stringMap,
  annotations: stringMap,
  finalizers: { type: 'array', items: string, patchStrategy: 'merge', listType: 'set' },
  ownerReferences: mergeList(object({ apiVersion: string, kind: string, name: string, uid: string, controller: boolean }), 'uid'),
  managedFields: atomicList(object({ manager: string, operation: string, apiVersion: string, fieldsType: string, fieldsV1: { type: 'object', preserveUnknownFields: true } })),
});

const envVar = object({
  name: string,
  value: string,
  valueFrom: object({
    fieldRef: object({ apiVersion: string, fieldPath: string }),
    configMapKeyRef: object({ name: string, key: string, optional: boolean }),
    secretKeyRef: object({ name: string, key: string, optional: boolean }),
  }),
});

const probe = object({
  httpGet: object({ path: string, port: intOrString, scheme: string }),
  tcpSocket: object({ port: intOrString }),
  exec: object({ command: atomicList(string) }),
  initialDelaySeconds: integer,
  periodSeconds: integer,
});

const container = object({
  name: string,
  image: string,
  imagePullPolicy: string,
  command: atomicList(string),
  args: atomicList(string),
  workingDir: string,
  ports: mergeList(object({ name: string, containerPort: integer, protocol: string, hostPort: integer }), 'containerPort', ['containerPort', 'protocol']),
  env: mergeList(envVar, 'name'),
  envFrom: atomicList(object({ prefix: string, configMapRef: object({ name: string }), secretRef: object({ name: string }) })),
  resources: object({ limits: quantityMap, requests: quantityMap }),
  volumeMounts: mergeList(object({ name: string, mountPath: string, readOnly: boolean, subPath: string }), 'mountPath'),
  livenessProbe: probe,
  readinessProbe: probe,
  securityContext: object({ runAsUser: { type: 'integer', format: 'int64' }, privileged: boolean }),
});

const volume = object({
  name: string,
  emptyDir: object({ medium: string, sizeLimit: { type: 'string', format: 'quantity' } }),
  configMap: object({ name: string, defaultMode: integer, items: atomicList(object({ key: string, path: string })) }),
  secret: object({ secretName: string, defaultMode: integer }),
  hostPath: object({ path: string, type: string }),
  persistentVolumeClaim: object({ claimName: string, readOnly: boolean }),
});

const toleration = object({ key: string, operator: string, value: string, effect: string, tolerationSeconds: { type: 'integer', format: 'int64' } });

/** core/v1 PodSpec. */
export const podSpec = object({
  containers: mergeList(container, 'name'),
  initContainers: mergeList(container, 'name'),
  volumes: { ...mergeList(volume, 'name'), patchStrategy: 'merge,retainKeys' },
  tolerations: atomicList(toleration),
  imagePullSecrets: mergeList(object({ name: string }), 'name'),
  hostAliases: mergeList(object({ ip: string, hostnames: atomicList(string) }), 'ip'),
  nodeSelector: { ...stringMap, mapType: 'atomic' },
  serviceAccountName: string,
  restartPolicy: string,
  dnsPolicy: string,
  terminationGracePeriodSeconds: { type: 'integer', format: 'int64' },
});

/** core/v1 Pod. */
export const pod = object({
  apiVersion: string,
  kind: string,
  metadata: objectMeta,
  spec: podSpec,
  status: object({
    phase: string,
    conditions: mergeList(object({ type: string, status: string, reason: string }), 'type'),
  }),
});

/** apps/v1 Deployment. */
export const deployment = object({
  apiVersion: string,
  kind: string,
  metadata: objectMeta,
  spec: object({
    replicas: integer,
    selector: object({ matchLabels: stringMap, matchExpressions: atomicList(object({ key: string, operator: string, values: atomicList(string) })) }),
    template: object({ metadata: objectMeta, spec: podSpec }),
    strategy: {
      ...object({ type: string, rollingUpdate: object({ maxUnavailable: intOrString, maxSurge: intOrString }) }),
      patchStrategy: 'retainKeys',
    },
    minReadySeconds: integer,
    revisionHistoryLimit: integer,
    paused: boolean,
    progressDeadlineSeconds: integer,
  }),
  status: object({
    replicas: integer,
    readyReplicas: integer,
    conditions: mergeList(object({ type: string, status: string, reason: string, message: string }), 'type'),
  }),
});
