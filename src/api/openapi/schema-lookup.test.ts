// Tests for the resolved SchemaNode graph: shared nodes, extensions on references, and the apimachinery special types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDefinitions } from './generate';
import { schemaLookupFrom } from './schema-lookup';

const lookup = schemaLookupFrom(generateDefinitions());
const def = (name: string) => lookup.definition(name)!;

test('references resolve to the one shared node of their definition', () => {
  const pod = def('io.k8s.api.core.v1.Pod');
  assert.equal(pod.name, 'io.k8s.api.core.v1.Pod');
  assert.equal(pod.properties!.spec, def('io.k8s.api.core.v1.PodSpec'));
  assert.equal(pod.properties!.metadata, def('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'));
  const containers = def('io.k8s.api.core.v1.PodSpec').properties!.containers;
  assert.equal(containers.type, 'array');
  assert.equal(containers.patchMergeKey, 'name');
  assert.deepEqual(containers.listMapKeys, ['name']);
  assert.equal(containers.items, def('io.k8s.api.core.v1.Container'));
  assert.equal(lookup.definition('io.k8s.api.apps.v1.Nope'), undefined);
});

test('a reference with its own extensions is a shallow copy that shares the children', () => {
  const strategy = def('io.k8s.api.apps.v1.DeploymentSpec').properties!.strategy;
  assert.equal(strategy.patchStrategy, 'retainKeys');
  assert.equal(strategy.name, 'io.k8s.api.apps.v1.DeploymentStrategy');
  assert.equal(strategy.properties, def('io.k8s.api.apps.v1.DeploymentStrategy').properties);
  assert.equal(def('io.k8s.api.apps.v1.DeploymentStrategy').patchStrategy, undefined);
});

test('types with custom JSON handling say what they accept', () => {
  const maxSurge = def('io.k8s.api.apps.v1.RollingUpdateDeployment').properties!.maxSurge;
  assert.equal(maxSurge.intOrString, true);
  assert.equal(maxSurge.type, undefined);
  assert.equal(def('io.k8s.apimachinery.pkg.api.resource.Quantity').type, undefined);
  assert.equal(def('io.k8s.apimachinery.pkg.runtime.RawExtension').preserveUnknownFields, true);
  assert.equal(def('io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1').preserveUnknownFields, true);
  assert.equal(def('io.k8s.apimachinery.pkg.apis.meta.v1.Time').format, 'date-time');
  const labels = def('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').properties!.labels;
  assert.deepEqual([labels.type, (labels.additionalProperties as { type: string }).type], ['object', 'string']);
  assert.equal(def('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector').mapType, 'atomic');
});
