import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { extractFieldPathAsString, formatMap, resourceFieldValue, withDefaultLimits } from './downward-api';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { b: '2', a: 'x"y' } },
  spec: { containers: [{ name: 'main', resources: { limits: { cpu: '1500m' } } }], initContainers: [{ name: 'init', resources: { requests: { memory: '1Gi' } } }] },
};

test('labels and annotations as sorted key="value" lines, Go-quoted', () => {
  assert.equal(formatMap({ b: '2', a: 'x"y\n' }), 'a="x\\"y\\n"\nb="2"');
  assert.equal(extractFieldPathAsString(pod, 'metadata.labels'), 'a="x\\"y"\nb="2"');
  assert.equal(extractFieldPathAsString(pod, "metadata.labels['b']"), '2');
  assert.equal(extractFieldPathAsString(pod, "metadata.annotations['none']"), '');
  assert.throws(() => extractFieldPathAsString(pod, 'spec.nodeName'), { message: 'unsupported fieldPath: spec.nodeName' });
});

test('resource values of a named container, with node allocatable defaults', () => {
  const alloc = { cpu: '2', memory: '4Gi' };
  assert.equal(resourceFieldValue({ resource: 'limits.cpu', containerName: 'main' }, pod, undefined, alloc), '2');
  assert.equal(resourceFieldValue({ resource: 'limits.cpu', containerName: 'main', divisor: '1m' }, pod, undefined, alloc), '1500');
  assert.equal(resourceFieldValue({ resource: 'requests.memory', containerName: 'init', divisor: '1Mi' }, pod, undefined, alloc), '1024');
  assert.equal(resourceFieldValue({ resource: 'limits.memory', containerName: 'init', divisor: '1Gi' }, pod, undefined, alloc), '4');
  assert.throws(() => resourceFieldValue({ resource: 'limits.cpu', containerName: 'nope' }, pod, undefined, alloc), { message: 'container nope not found' });
  assert.throws(() => resourceFieldValue({ resource: 'limits.gpu', containerName: 'main' }, pod, undefined, alloc), { message: 'unsupported container resource : limits.gpu' });
  assert.deepEqual(withDefaultLimits({ name: 'c', resources: { limits: { cpu: '0' } } }, alloc).resources?.limits, { cpu: '2', memory: '4Gi' });
});
