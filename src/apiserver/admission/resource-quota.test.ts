// Tests of ResourceQuota admission: refusals past a quota, and writes in flight counted until the cache shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../api/kinds';
import type { KObject } from '../../api/types';
import { StatusError } from '../../machinery/errors';
import type { Clock } from '../../util/clock';
import { resourceQuota } from './resource-quota';
import type { AdmissionAttributes } from './types';

const pods = builtinResources().find((r) => r.resource === 'pods')!;
const user = { username: 'u', groups: [] };
let now = Date.parse('2024-01-01T00:00:00Z');
const clock: Clock = { now: () => now, setTimeout: () => ({ cancel() {} }) };

const pod = (name: string): KObject => ({ metadata: { name, namespace: 'ns', uid: name }, spec: { containers: [{ name: 'a', image: 'x' }] }, status: { phase: 'Pending' } });
const quota: KObject = { metadata: { name: 'q', namespace: 'ns' }, spec: { hard: { pods: '2' } } };

function setup(stored: KObject[]) {
  const plugin = resourceQuota((g, r, ns) => (ns !== 'ns' ? [] : r === 'resourcequotas' ? [quota] : r === 'pods' ? stored : []), clock);
  return (obj: KObject, dryRun = false) =>
    plugin.admit({ operation: 'CREATE', resource: pods, subresource: '', namespace: 'ns', name: obj.metadata.name!, object: obj, dryRun, user } as AdmissionAttributes);
}

const refused = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 403);
    return e.message;
  }
  assert.fail('admitted');
};

test('a third pod is refused with the exceeded-quota message', () => {
  const admit = setup([pod('a'), pod('b')]);
  assert.equal(refused(() => admit(pod('c'))), 'pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2');
});

test('creates admitted but not yet in the cache count against the quota until they appear or expire', () => {
  const stored = [pod('a')];
  const admit = setup(stored);
  admit(pod('b'));
  refused(() => admit(pod('c')));
  // A dry run reserves nothing.
  stored.length = 0;
  const admitDry = setup(stored);
  admitDry(pod('x'), true);
  admitDry(pod('y'), true);
  admitDry(pod('z'), true);
  // Once the reserved pod shows up in the cache it is counted once, not twice.
  stored.push(pod('a'), pod('b'));
  refused(() => admit(pod('c')));
  stored.splice(1, 1);
  admit(pod('c'));
  // A reservation whose write never landed lapses.
  now += 10_000;
  stored.length = 0;
  admit(pod('d'));
  admit(pod('e'));
});
