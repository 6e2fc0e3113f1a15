import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Secret } from 'kubernetes-types/core/v1';
import { pullAuths, registryHost } from './pull-secrets';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (auths: object): Secret => ({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) } });

test('registry host of image references', () => {
  assert.equal(registryHost('busybox'), 'docker.io');
  assert.equal(registryHost('127.0.0.1:5000/x/busybox:1'), '127.0.0.1:5000');
});

test('credentials matching the image registry, from auth or username/password', () => {
  const s = secret({ '127.0.0.1:5000': { auth: b64('alice:s3cret') }, 'https://index.docker.io/v1/': { username: 'bob', password: 'pw' } });
  assert.deepEqual(pullAuths('127.0.0.1:5000/busybox:1', [s]), [
    { username: 'alice', password: 's3cret', serverAddress: '', identityToken: '', registryToken: '' },
  ]);
  assert.equal(pullAuths('nginx', [s])[0].username, 'bob');
  assert.deepEqual(pullAuths('quay.io/x', [s]), []);
});

test('unreadable secrets give nothing', () => {
  assert.deepEqual(pullAuths('busybox', [{ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{') } }]), []);
});
