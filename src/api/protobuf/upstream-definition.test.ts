// The envelope's apiVersion and kind name the same definitions the resource table serves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../kinds';
import { groupVersion } from '../types';
import { upstreamDefinition } from './upstream-definition';

test('every served kind maps to its own definition', () => {
  for (const r of builtinResources()) assert.equal(upstreamDefinition(groupVersion(r), r.kind), r.definition, `${groupVersion(r)} ${r.kind}`);
});

test('request-only kinds and the option kinds of every group version', () => {
  assert.equal(upstreamDefinition('authentication.k8s.io/v1', 'TokenRequest'), 'io.k8s.api.authentication.v1.TokenRequest');
  assert.equal(upstreamDefinition('policy/v1', 'Eviction'), 'io.k8s.api.policy.v1.Eviction');
  assert.equal(upstreamDefinition('policy/v1', 'DeleteOptions'), 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions');
  assert.equal(upstreamDefinition('meta.k8s.io/v1', 'DeleteOptions'), 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions');
  assert.equal(upstreamDefinition('v1', 'Frobnicator'), undefined);
  assert.equal(upstreamDefinition('example.com/v1', 'Widget'), undefined);
});
