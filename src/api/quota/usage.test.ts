// Tests of quota evaluators and the admission check: usage per kind, scopes, and upstream's refusal messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import type { KObject } from '../types';
import { evaluatorFor, quotaMatches, resourcesTrackedBy } from './evaluators';
import { fromResourceList } from './resource-list';
import { calculateUsage, checkQuotas } from './usage';

const NOW = Date.parse('2024-01-01T00:00:00Z');

const pod = (name: string, resources?: object, extra: Partial<KObject> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'q' },
  spec: { containers: [{ name: 'app', image: 'x', ...(resources ? { resources } : {}) }] },
  status: { phase: 'Pending' },
  ...extra,
});

const quota = (hard: Record<string, string>, spec: object = {}): ResourceQuota & KObject => ({ metadata: { name: 'q1', namespace: 'q' }, spec: { hard, ...spec } });

test('pod usage charges requests, limits, pods and count/pods; extended resources as requests.<name>', () => {
  const usage = evaluatorFor('', 'pods').usage(pod('a', { requests: { cpu: '250m', memory: '64Mi', 'nvidia.com/gpu': '1' }, limits: { cpu: '500m', 'nvidia.com/gpu': '1' } }), NOW);
  assert.deepEqual(fromResourceList(usage), {
    'count/pods': '1',
    pods: '1',
    cpu: '250m',
    'requests.cpu': '250m',
    memory: '64Mi',
    'requests.memory': '64Mi',
    'limits.cpu': '500m',
    'requests.nvidia.com/gpu': '1',
  });
});

test('finished pods and pods past their deletion grace only count as objects', () => {
  const ev = evaluatorFor('', 'pods');
  assert.deepEqual(fromResourceList(ev.usage(pod('a', undefined, { status: { phase: 'Succeeded' } }), NOW)), { 'count/pods': '1' });
  const gone = pod('b');
  gone.metadata.deletionTimestamp = '2023-12-31T23:59:00Z';
  gone.metadata.deletionGracePeriodSeconds = 30;
  assert.deepEqual(fromResourceList(ev.usage(gone, NOW)), { 'count/pods': '1' });
  gone.metadata.deletionGracePeriodSeconds = 120;
  assert.equal(fromResourceList(ev.usage(gone, NOW)).pods, '1');
});

test('init containers count at their largest step, sidecars add up', () => {
  const p = pod('a', { requests: { cpu: '100m' } });
  p.spec.initContainers = [
    { name: 'init', image: 'x', resources: { requests: { cpu: '1' } } },
    { name: 'side', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } },
  ];
  assert.equal(fromResourceList(evaluatorFor('', 'pods').usage(p, NOW))['requests.cpu'], '1');
  p.spec.initContainers[0].resources.requests.cpu = '100m';
  assert.equal(fromResourceList(evaluatorFor('', 'pods').usage(p, NOW))['requests.cpu'], '300m');
});

test('services count node ports and load balancers; other kinds count objects (with legacy names)', () => {
  const svc = { metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] } };
  assert.deepEqual(fromResourceList(evaluatorFor('', 'services').usage(svc, NOW)), {
    'count/services': '1',
    services: '1',
    'services.nodeports': '2',
    'services.loadbalancers': '1',
  });
  assert.deepEqual(fromResourceList(evaluatorFor('', 'configmaps').usage({ metadata: {} }, NOW)), { 'count/configmaps': '1', configmaps: '1' });
  assert.deepEqual(fromResourceList(evaluatorFor('apps', 'deployments').usage({ metadata: {} }, NOW)), { 'count/deployments.apps': '1' });
});

test('a quota names the resources whose objects it counts', () => {
  assert.deepEqual(resourcesTrackedBy(['pods', 'requests.cpu', 'count/deployments.apps', 'secrets', 'services.nodeports', 'requests.storage']), [
    { group: '', resource: 'pods' },
    { group: 'apps', resource: 'deployments' },
    { group: '', resource: 'secrets' },
    { group: '', resource: 'services' },
    { group: '', resource: 'persistentvolumeclaims' },
  ]);
});

test('scopes: BestEffort quotas only see best-effort pods, scoped quotas never see other kinds', () => {
  const be = quota({ pods: '1' }, { scopes: ['BestEffort'] });
  assert.equal(quotaMatches(be, evaluatorFor('', 'pods'), pod('a')), true);
  assert.equal(quotaMatches(be, evaluatorFor('', 'pods'), pod('b', { requests: { cpu: '1' } })), false);
  const pc = quota({ pods: '1' }, { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } });
  const high = pod('c');
  high.spec.priorityClassName = 'high';
  assert.equal(quotaMatches(pc, evaluatorFor('', 'pods'), high), true);
  assert.equal(quotaMatches(pc, evaluatorFor('', 'pods'), pod('d')), false);
  assert.equal(quotaMatches(quota({ configmaps: '1' }, { scopes: ['BestEffort'] }), evaluatorFor('', 'configmaps'), { metadata: {} }), false);
});

test('calculateUsage sums matching objects over every hard name, zero when unused', () => {
  const objects = (g: string, r: string) => (r === 'pods' ? [pod('a', { requests: { cpu: '100m' } }), pod('b', { requests: { cpu: '150m' } })] : []);
  const used = calculateUsage(quota({ pods: '10', 'requests.cpu': '1', 'requests.memory': '1Gi', configmaps: '5' }), objects, NOW);
  assert.deepEqual(fromResourceList(used), { pods: '2', 'requests.cpu': '250m', 'requests.memory': '0', configmaps: '0' });
});

test('a create past a quota gives upstream exceeded-quota text', () => {
  const q = quota({ pods: '2' });
  const objects = () => [pod('a'), pod('b')];
  const why = checkQuotas([q], { group: '', resource: 'pods', operation: 'CREATE', object: pod('c'), now: NOW }, (x) => calculateUsage(x, objects, NOW));
  assert.equal(why, 'exceeded quota: q1, requested: pods=1, used: pods=2, limited: pods=2');
  const ok = checkQuotas([q], { group: '', resource: 'pods', operation: 'CREATE', object: pod('c'), now: NOW }, (x) => calculateUsage(x, () => [pod('a')], NOW));
  assert.equal(ok, undefined);
});

test('only the exceeded names are reported, sorted', () => {
  const q = quota({ pods: '5', 'requests.cpu': '1', 'requests.memory': '1Gi' });
  const big = pod('c', { requests: { cpu: '2', memory: '2Gi' } });
  const why = checkQuotas([q], { group: '', resource: 'pods', operation: 'CREATE', object: big, now: NOW }, (x) => calculateUsage(x, () => [], NOW));
  assert.equal(why, 'exceeded quota: q1, requested: requests.cpu=2,requests.memory=2Gi, used: requests.cpu=0,requests.memory=0, limited: requests.cpu=1,requests.memory=1Gi');
});

test('a quota on compute resources requires every container to state them', () => {
  const q = quota({ 'limits.cpu': '2', 'requests.memory': '1Gi', pods: '5' });
  const p = pod('c', { requests: { memory: '10Mi' } });
  p.spec.containers.push({ name: 'side', image: 'x' });
  const why = checkQuotas([q], { group: '', resource: 'pods', operation: 'CREATE', object: p, now: NOW }, () => new Map());
  assert.equal(why, 'failed quota: q1: must specify limits.cpu for: app,side; requests.memory for: side');
});

test('a service update is charged only for what it adds', () => {
  const q = quota({ 'services.nodeports': '2' });
  const old = { metadata: { name: 's', namespace: 'q' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
  const grown = { metadata: { name: 's', namespace: 'q' }, spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }, { port: 82 }] } };
  const why = checkQuotas([q], { group: '', resource: 'services', operation: 'UPDATE', object: grown, oldObject: old, now: NOW }, (x) => calculateUsage(x, () => [old], NOW));
  assert.equal(why, 'exceeded quota: q1, requested: services.nodeports=2, used: services.nodeports=1, limited: services.nodeports=2');
});
