// Tests of Priority admission: class resolution, global default, system classes, and upstream's refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../api/kinds';
import type { KObject } from '../../api/types';
import { StatusError } from '../../machinery/errors';
import { priority } from './priority';
import type { AdmissionAttributes } from './types';

const resources = builtinResources();
const pods = resources.find((r) => r.resource === 'pods')!;
const classes = resources.find((r) => r.resource === 'priorityclasses')!;
const user = { username: 'u', groups: [] };

const pc = (name: string, value: number, extra: object = {}): KObject => ({ metadata: { name }, value, preemptionPolicy: 'PreemptLowerPriority', ...extra });

// As the pod strategy leaves a pod: priority 0 and PreemptLowerPriority when it names no class.
const pod = (spec: object = {}): KObject => {
  const s: Record<string, unknown> = { containers: [{ name: 'a', image: 'x' }], ...spec };
  if (!s.priorityClassName) Object.assign(s, { priority: 0, preemptionPolicy: 'PreemptLowerPriority', ...spec });
  return { metadata: { name: 'p', namespace: 'ns' }, spec: s };
};

function admit(list: KObject[], obj: KObject, resource = pods, operation: 'CREATE' | 'UPDATE' = 'CREATE'): KObject {
  const a: AdmissionAttributes = { operation, resource, subresource: '', namespace: resource === pods ? 'ns' : '', name: obj.metadata.name!, object: obj, dryRun: false, user };
  void priority(() => list).admit(a);
  return obj;
}

const refusal = (list: KObject[], obj: KObject, resource = pods) => {
  try {
    admit(list, obj, resource);
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 403);
    return e.message;
  }
  assert.fail('admitted');
};

test('a named class gives its value and preemption policy', () => {
  const out = admit([pc('high', 1000, { preemptionPolicy: 'Never' })], pod({ priorityClassName: 'high' }));
  assert.equal(out.spec.priority, 1000);
  assert.equal(out.spec.preemptionPolicy, 'Never');
});

test('system classes resolve without objects', () => {
  const out = admit([], pod({ priorityClassName: 'system-node-critical' }));
  assert.equal(out.spec.priority, 2000001000);
});

test('the global default applies to pods naming no class; without one priority stays 0', () => {
  const out = admit([pc('low', 10), pc('def', 100, { globalDefault: true })], pod());
  assert.equal(out.spec.priorityClassName, 'def');
  assert.equal(out.spec.priority, 100);
  const plain = admit([pc('low', 10)], pod());
  assert.equal(plain.spec.priority, 0);
  assert.equal(plain.spec.priorityClassName, undefined);
});

test('an unknown class and a conflicting explicit priority are refused as upstream', () => {
  assert.equal(refusal([], pod({ priorityClassName: 'nope' })), 'pods "p" is forbidden: no PriorityClass with name nope was found');
  assert.equal(
    refusal([pc('high', 1000)], pod({ priorityClassName: 'high', priority: 5 })),
    'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
  );
});

test('only one global default class', () => {
  assert.equal(
    refusal([pc('def', 100, { globalDefault: true })], pc('other', 5, { globalDefault: true }), classes),
    'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass def is already marked as default. Only one default can exist',
  );
  admit([pc('def', 100, { globalDefault: true })], pc('def', 100, { globalDefault: true }), classes, 'UPDATE');
});
