// Unit tests of image reference normalization.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageRepository, normalizeImage } from './images';

test('short names become docker.io references with a tag', () => {
  assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
  assert.equal(normalizeImage('nginx:1.27'), 'docker.io/library/nginx:1.27');
  assert.equal(normalizeImage('bitnami/redis:7'), 'docker.io/bitnami/redis:7');
  assert.equal(normalizeImage('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
  assert.equal(normalizeImage('localhost:5000/app'), 'localhost:5000/app:latest');
  assert.equal(normalizeImage('busybox@sha256:abc'), 'docker.io/library/busybox@sha256:abc');
  assert.equal(imageRepository('localhost:5000/app:latest'), 'localhost:5000/app');
  assert.equal(imageRepository('docker.io/library/busybox@sha256:abc'), 'docker.io/library/busybox');
});
