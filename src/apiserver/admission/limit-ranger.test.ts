// Tests of LimitRanger admission: container defaults with the annotation, min/max/ratio refusals with upstream's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../api/kinds';
import type { KObject } from '../../api/types';
import { StatusError } from '../../machinery/errors';
import { limitRanger, LIMIT_RANGER_ANNOTATION } from './limit-ranger';
import type { AdmissionAttributes } from './types';

const resources = builtinResources();
const pods = resources.find((r) => r.resource === 'pods')!;
const user = { username: 'u', groups: [] };

const pod = (resources?: object): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'app', image: 'x', ...(resources ? { resources } : {}) }] },
  status: { phase: 'Pending', qosClass: 'BestEffort' },
});

const limitRange = (item: object): KObject => ({ metadata: { name: 'lr', namespace: 'ns' }, spec: { limits: [{ type: 'Container', ...item }] } });

function admit(lrs: KObject[], obj: KObject): KObject {
  const a: AdmissionAttributes = { operation: 'CREATE', resource: pods, subresource: '', namespace: 'ns', name: 'p', object: obj, dryRun: false, user };
  void limitRanger((g, r, ns) => (r === 'limitranges' && ns === 'ns' ? lrs : [])).admit(a);
  return obj;
}

function refusal(lrs: KObject[], obj: KObject): string {
  try {
    admit(lrs, obj);
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 403);
    return e.message;
  }
  assert.fail('admitted');
}

test('defaults fill missing requests and limits and are named in the annotation; QoS follows', () => {
  const out = admit([limitRange({ default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } })], pod({ limits: { memory: '512Mi' }, requests: { memory: '512Mi' } }));
  const res = out.spec.containers[0].resources;
  assert.deepEqual(res.requests, { memory: '512Mi', cpu: '100m' });
  assert.deepEqual(res.limits, { memory: '512Mi', cpu: '500m' });
  assert.equal(out.metadata.annotations![LIMIT_RANGER_ANNOTATION], 'LimitRanger plugin set: cpu request for container app; cpu limit for container app');
  assert.equal(out.status.qosClass, 'Burstable');
});

test('no limit ranges, no change', () => {
  const out = admit([], pod());
  assert.equal(out.metadata.annotations, undefined);
  assert.equal(out.spec.containers[0].resources, undefined);
});

test('max and min refusals read as upstream', () => {
  assert.equal(refusal([limitRange({ max: { cpu: '1' } })], pod({ limits: { cpu: '2' }, requests: { cpu: '2' } })), 'pods "p" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
  assert.equal(refusal([limitRange({ min: { memory: '64Mi' } })], pod({ requests: { memory: '32Mi' } })), 'pods "p" is forbidden: minimum memory usage per Container is 64Mi, but request is 32Mi');
  assert.equal(
    refusal([limitRange({ max: { cpu: '1', memory: '1Gi' }, default: {}, defaultRequest: {} })], pod({ limits: { cpu: '2' }, requests: { cpu: '2' } })),
    'pods "p" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi.  No limit is specified]',
  );
});

test('limit to request ratio', () => {
  assert.equal(
    refusal([limitRange({ maxLimitRequestRatio: { cpu: '2' } })], pod({ limits: { cpu: '1' }, requests: { cpu: '250m' } })),
    'pods "p" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000',
  );
  admit([limitRange({ maxLimitRequestRatio: { cpu: '4' } })], pod({ limits: { cpu: '1' }, requests: { cpu: '250m' } }));
});

test('defaults that break requests <= limits make the pod invalid (422), as upstream validation after admission', () => {
  try {
    admit([limitRange({ defaultRequest: { cpu: '2' } })], pod({ limits: { cpu: '1' }, requests: {} }));
    assert.fail('admitted');
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 422);
    assert.match(e.message, /spec.containers\[0\].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1/);
  }
});
