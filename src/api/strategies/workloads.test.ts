// Tests for Deployment, ReplicaSet, StatefulSet, DaemonSet and ControllerRevision strategies: defaults, validation messages, rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject, Strategy } from '../types';
import { controllerRevisionStrategy } from './controllerrevision';
import { daemonSetStrategy, TEMPLATE_GENERATION_ANNOTATION } from './daemonset';
import { deploymentStrategy } from './deployment';
import { replicaSetStrategy } from './replicaset';
import { statefulSetStrategy } from './statefulset';

const msgs = (errs: { field: string; message: string }[] = []) => errs.map((e) => `${e.field}: ${e.message}`);
const NOW = Date.parse('2024-01-01T12:00:00Z');

function workload(kind: string, spec: object): KObject {
  return { apiVersion: 'apps/v1', kind, metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T09:00:00Z' }, spec };
}
const template = (labels: Record<string, string> = { app: 'web' }, container: object = { name: 'c', image: 'nginx:1.25' }) => ({
  metadata: { labels },
  spec: { containers: [container] },
});
const defaulted = (s: Strategy, o: KObject) => {
  s.defaults!(o);
  return o;
};

test('deployment defaults', () => {
  const d = defaulted(deploymentStrategy, workload('Deployment', { selector: { matchLabels: { app: 'web' } }, template: template() }));
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(d.spec.template.spec.enableServiceLinks, undefined, 'pod-only defaults stay off templates');
  assert.deepEqual(deploymentStrategy.validate!(d), []);
});

test('deployment validation messages match kubectl', () => {
  const d = defaulted(
    deploymentStrategy,
    workload('Deployment', {
      replicas: -1,
      selector: { matchLabels: { app: 'other' } },
      template: template({ app: 'web' }, { name: 'c' }),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
    }),
  );
  assert.deepEqual(msgs(deploymentStrategy.validate!(d)), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    'spec.template.spec.containers[0].image: Required value',
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
  ]);
});

test('deployment without selector, odd strategy, restart policy', () => {
  const tpl = template();
  (tpl.spec as Record<string, unknown>).restartPolicy = 'Never';
  const d = defaulted(deploymentStrategy, workload('Deployment', { template: tpl, strategy: { type: 'Blue' } }));
  assert.deepEqual(msgs(deploymentStrategy.validate!(d)), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Blue", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
  ]);
  const empty = defaulted(deploymentStrategy, workload('Deployment', { selector: {}, template: template() }));
  assert.deepEqual(msgs(deploymentStrategy.validate!(empty)), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
  ]);
});

test('deployment selector is immutable and annotation changes bump generation', () => {
  const old = defaulted(deploymentStrategy, workload('Deployment', { selector: { matchLabels: { app: 'web' } }, template: template() }));
  const next = structuredClone(old);
  next.spec.selector = { matchLabels: { app: 'nginx2' } };
  assert.deepEqual(msgs(deploymentStrategy.validateUpdate!(next, old)), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  old.metadata.generation = 3;
  const annotated = structuredClone(old);
  annotated.metadata.annotations = { 'kubernetes.io/change-cause': 'x' };
  deploymentStrategy.prepareForUpdate!(annotated, old);
  assert.equal(annotated.metadata.generation, 4);
});

test('deployment row with wide cells', () => {
  const d = defaulted(deploymentStrategy, workload('Deployment', { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template() }));
  d.status = { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
  assert.deepEqual(deploymentStrategy.row!(d, NOW), ['2/3', 3, 2, '3h', 'c', 'nginx:1.25', 'app=web']);
  assert.equal(deploymentStrategy.columns!.length, 7);
});

test('replicaset defaults, "deployment" wording, row and field selector', () => {
  const rs = defaulted(replicaSetStrategy, workload('ReplicaSet', { selector: {}, template: template() }));
  assert.equal(rs.spec.replicas, 1);
  assert.match(msgs(replicaSetStrategy.validate!(rs))[0], /empty selector is invalid for deployment$/);
  rs.status = { replicas: 1, readyReplicas: 1 };
  assert.deepEqual(replicaSetStrategy.row!(rs, NOW), [1, 1, 1, '3h', 'c', 'nginx:1.25', '<none>']);
  assert.deepEqual(replicaSetStrategy.selectableFields!(rs), { 'status.replicas': '1' });
});

test('statefulset defaults and update restrictions', () => {
  const s = defaulted(
    statefulSetStrategy,
    workload('StatefulSet', {
      selector: { matchLabels: { app: 'web' } },
      serviceName: 'web',
      template: template(),
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    }),
  );
  assert.equal(s.spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(s.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(s.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(s.spec.replicas, 1);
  assert.equal(s.spec.revisionHistoryLimit, 10);
  const claim = s.spec.volumeClaimTemplates[0];
  assert.equal(claim.apiVersion, 'v1');
  assert.equal(claim.spec.volumeMode, 'Filesystem');
  assert.deepEqual(claim.status, { phase: 'Pending' });
  assert.deepEqual(statefulSetStrategy.validate!(s), []);
  const next = structuredClone(s);
  next.spec.replicas = 5;
  assert.deepEqual(statefulSetStrategy.validateUpdate!(next, s), []);
  next.spec.serviceName = 'other';
  assert.deepEqual(msgs(statefulSetStrategy.validateUpdate!(next, s)), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
  s.status = { readyReplicas: 1 };
  assert.deepEqual(statefulSetStrategy.row!(s, NOW), ['1/1', '3h', 'c', 'nginx:1.25']);
});

test('daemonset defaults, template generation, validation and row', () => {
  const ds = defaulted(daemonSetStrategy, workload('DaemonSet', { selector: { matchLabels: { app: 'web' } }, template: template() }));
  assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(ds.spec.revisionHistoryLimit, 10);
  daemonSetStrategy.prepareForCreate!(ds);
  assert.equal(ds.metadata.annotations![TEMPLATE_GENERATION_ANNOTATION], '1');
  const next = structuredClone(ds);
  next.spec.template.spec.containers[0].image = 'nginx:2';
  daemonSetStrategy.prepareForUpdate!(next, ds);
  assert.equal(next.metadata.annotations![TEMPLATE_GENERATION_ANNOTATION], '2');
  next.spec.updateStrategy.rollingUpdate = { maxUnavailable: 1, maxSurge: 1 };
  assert.deepEqual(msgs(daemonSetStrategy.validate!(next)), [
    'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
  ]);
  ds.status = { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 };
  assert.deepEqual(daemonSetStrategy.row!(ds, NOW), [2, 2, 1, 2, 1, '<none>', '3h', 'c', 'nginx:1.25', 'app=web']);
});

test('controller revision row names its controller', () => {
  const cr: KObject = {
    metadata: { name: 'web-5d', namespace: 'default', creationTimestamp: '2024-01-01T11:59:00Z', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] },
    revision: 2,
    data: {},
  };
  assert.deepEqual(controllerRevisionStrategy.row!(cr, NOW), ['statefulset.apps/web', 2, '60s']);
  assert.deepEqual(msgs(controllerRevisionStrategy.validate!({ ...cr, data: undefined })), ['data: Required value: data is mandatory']);
});
