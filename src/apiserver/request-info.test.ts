// Tests for URL → RequestInfo parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo } from './request-info';

const q = (s = '') => new URLSearchParams(s);

test('core namespaced get and list', () => {
  assert.deepEqual(parseRequestInfo('GET', '/api/v1/namespaces/default/pods/p1', q()), {
    verb: 'get', group: '', version: 'v1', namespace: 'default', resource: 'pods', name: 'p1', subresource: '',
  });
  assert.equal(parseRequestInfo('GET', '/api/v1/namespaces/default/pods', q())?.verb, 'list');
  assert.equal(parseRequestInfo('GET', '/api/v1/pods', q('watch=true'))?.verb, 'watch');
  assert.equal(parseRequestInfo('GET', '/api/v1/watch/namespaces/default/pods', q())?.verb, 'watch');
});

test('namespace itself and its subresources', () => {
  assert.deepEqual(parseRequestInfo('GET', '/api/v1/namespaces/kube-system', q()), {
    verb: 'get', group: '', version: 'v1', namespace: '', resource: 'namespaces', name: 'kube-system', subresource: '',
  });
  const st = parseRequestInfo('PUT', '/api/v1/namespaces/foo/status', q());
  assert.equal(st?.resource, 'namespaces');
  assert.equal(st?.subresource, 'status');
});

test('group resources, subresources and collection delete', () => {
  const scale = parseRequestInfo('PATCH', '/apis/apps/v1/namespaces/ns1/deployments/web/scale', q());
  assert.equal(scale?.group, 'apps');
  assert.equal(scale?.subresource, 'scale');
  assert.equal(scale?.verb, 'patch');
  assert.equal(parseRequestInfo('DELETE', '/apis/apps/v1/namespaces/ns1/deployments', q())?.verb, 'deletecollection');
  assert.equal(parseRequestInfo('GET', '/apis/apps', q()), undefined);
  assert.equal(parseRequestInfo('GET', '/healthz', q()), undefined);
});
