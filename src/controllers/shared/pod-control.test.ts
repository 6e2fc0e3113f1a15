// Pods from a template: what is copied, the name prefix and the controller ref.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPodFromTemplate } from './pod-control';

test('a pod from a template carries its labels, annotations, finalizers and spec, generateName "<owner>-" and the ref', () => {
  const template = { metadata: { labels: { app: 'web' }, annotations: { a: '1' }, finalizers: ['f'] }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'u', controller: true, blockOwnerDeletion: true };
  const pod = getPodFromTemplate(template, { metadata: { name: 'web-abc' } }, ref);
  assert.deepEqual(pod.metadata, { generateName: 'web-abc-', labels: { app: 'web' }, annotations: { a: '1' }, finalizers: ['f'], ownerReferences: [ref] });
  assert.deepEqual(pod.spec, template.spec);
  // The pod is a copy: changing it leaves the template alone.
  pod.spec.containers[0].image = 'other';
  pod.metadata.labels!.app = 'x';
  assert.equal(template.spec.containers[0].image, 'nginx');
  assert.equal(template.metadata.labels.app, 'web');
});
