// Tests for the generator: upstream names, types, formats, extensions and GVKs, from the installed kubernetes-types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDefinitions } from './generate';
import { refTo } from './spec';

const defs = generateDefinitions();
const prop = (def: string, name: string) => defs[def].properties![name];

test('Deployment is a top-level kind with its GVK and a described, retainKeys strategy', () => {
  const d = defs['io.k8s.api.apps.v1.Deployment'];
  assert.deepEqual(d['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  assert.equal(d.properties!.metadata.$ref, refTo('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'));
  assert.equal(d.properties!.apiVersion.type, 'string');
  const strategy = prop('io.k8s.api.apps.v1.DeploymentSpec', 'strategy');
  assert.equal(strategy.$ref, refTo('io.k8s.api.apps.v1.DeploymentStrategy'));
  assert.match(strategy.description!, /deployment strategy to use/);
  assert.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys');
  assert.ok(defs['io.k8s.api.apps.v1.DeploymentStrategy'].description);
  assert.deepEqual(defs['io.k8s.api.apps.v1.DeploymentSpec'].required, ['selector', 'template']);
  assert.deepEqual(defs['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
  assert.deepEqual(defs['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
});

test('lists carry upstream patch and list-map keys', () => {
  const containers = prop('io.k8s.api.core.v1.PodSpec', 'containers');
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(containers['x-kubernetes-list-type'], 'map');
  assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
  assert.equal(containers.items!.$ref, refTo('io.k8s.api.core.v1.Container'));
  assert.deepEqual(prop('io.k8s.api.core.v1.Container', 'ports')['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  assert.equal(prop('io.k8s.api.core.v1.Container', 'ports')['x-kubernetes-patch-merge-key'], 'containerPort');
  assert.equal(prop('io.k8s.api.core.v1.PodSpec', 'volumes')['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  assert.deepEqual(prop('io.k8s.api.core.v1.ServiceSpec', 'ports')['x-kubernetes-list-map-keys'], ['port', 'protocol']);
  assert.deepEqual(prop('io.k8s.api.core.v1.PodSpec', 'topologySpreadConstraints')['x-kubernetes-list-map-keys'], ['topologyKey', 'whenUnsatisfiable']);
  assert.equal(prop('io.k8s.api.core.v1.PodSpec', 'tolerations')['x-kubernetes-list-type'], 'atomic');
  assert.equal(prop('io.k8s.api.core.v1.PodSpec', 'nodeSelector')['x-kubernetes-map-type'], 'atomic');
  assert.equal(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'ownerReferences')['x-kubernetes-patch-merge-key'], 'uid');
  assert.equal(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'finalizers')['x-kubernetes-list-type'], 'set');
  assert.equal(defs['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']['x-kubernetes-map-type'], 'atomic');
});

test('numbers are int32 unless upstream says int64; []byte is format byte', () => {
  const replicas = prop('io.k8s.api.apps.v1.DeploymentSpec', 'replicas');
  assert.deepEqual([replicas.type, replicas.format], ['integer', 'int32']);
  assert.equal(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'generation').format, 'int64');
  assert.equal(prop('io.k8s.api.core.v1.PodSecurityContext', 'supplementalGroups').items!.format, 'int64');
  assert.deepEqual(prop('io.k8s.api.core.v1.Secret', 'data').additionalProperties, { format: 'byte', type: 'string' });
});

test('apimachinery special types are shaped as upstream', () => {
  const shape = (name: string) => ({ ...defs[name], description: undefined });
  assert.deepEqual(shape('io.k8s.apimachinery.pkg.util.intstr.IntOrString'), { description: undefined, format: 'int-or-string', type: 'string' });
  assert.deepEqual(shape('io.k8s.apimachinery.pkg.api.resource.Quantity'), { description: undefined, type: 'string' });
  assert.deepEqual(shape('io.k8s.apimachinery.pkg.apis.meta.v1.Time'), { description: undefined, format: 'date-time', type: 'string' });
  assert.deepEqual(shape('io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime'), { description: undefined, format: 'date-time', type: 'string' });
  assert.deepEqual(shape('io.k8s.apimachinery.pkg.runtime.RawExtension'), { description: undefined, type: 'object' });
  assert.deepEqual(shape('io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1'), { description: undefined, type: 'object' });
  assert.equal(prop('io.k8s.api.apps.v1.RollingUpdateDeployment', 'maxSurge').$ref, refTo('io.k8s.apimachinery.pkg.util.intstr.IntOrString'));
  assert.match(defs['io.k8s.apimachinery.pkg.runtime.RawExtension'].description!, /\n\n\ttype MyAPIObject struct \{\n/);
});
