// Pods from a template: what is copied, the name prefix (or the generateName given) and the controller ref.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventRecorder } from '../../client/events';
import type { Client } from '../../client/types';
import { getPodFromTemplate, realPodControl } from './pod-control';
import type { Pod } from './types';

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

test('createPods names the pod after the owner, or with the generateName given, and records SuccessfulCreate', async () => {
  const created: Pod[] = [];
  const events: string[] = [];
  const client = { resource: () => ({ create: async (_ns: string, p: Pod) => (created.push(p), { ...p, metadata: { ...p.metadata, name: `${p.metadata.generateName}x1` } }) }) } as unknown as Client;
  const recorder = { event: (_o: unknown, _t: string, reason: string, message: string) => events.push(`${reason}: ${message}`) } as unknown as EventRecorder;
  const control = realPodControl(client, recorder);
  const template = { metadata: { labels: { app: 'pi' } }, spec: { containers: [{ name: 'c' }] } };
  const ref = { apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'u', controller: true };
  await control.createPods('ns', template, { metadata: { name: 'pi' } }, ref);
  await control.createPods('ns', template, { metadata: { name: 'pi' } }, ref, 'pi-3-');
  assert.deepEqual(created.map((p) => p.metadata.generateName), ['pi-', 'pi-3-']);
  assert.deepEqual(events, ['SuccessfulCreate: Created pod: pi-x1', 'SuccessfulCreate: Created pod: pi-3-x1']);
});
