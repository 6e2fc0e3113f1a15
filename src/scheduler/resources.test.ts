// Pod requests as upstream computes them: containers summed, init containers maxed, sidecars added, overhead on top.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodSpec } from 'kubernetes-types/core/v1';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, nodeAllocatable, podRequests } from './resources';
import { makeNode } from './testing';

const c = (name: string, requests: Record<string, string> = {}, restartPolicy?: string) => ({ name, image: 'x', resources: { requests }, ...(restartPolicy ? { restartPolicy } : {}) });

test('containers add up; extended resources are kept by name', () => {
  const r = podRequests({ containers: [c('a', { cpu: '250m', memory: '64Mi' }), c('b', { cpu: '1', 'nvidia.com/gpu': '2' })] } as PodSpec);
  assert.deepEqual(r.requests, { milliCPU: 1250, memory: 64 * 1024 * 1024, ephemeralStorage: 0, scalar: { 'nvidia.com/gpu': 2 } });
});

test('an init container larger than the containers sets the request; overhead is added', () => {
  const r = podRequests({ containers: [c('a', { cpu: '100m' })], initContainers: [c('i', { cpu: '2' })], overhead: { cpu: '50m' } } as unknown as PodSpec);
  assert.equal(r.requests.milliCPU, 2050);
});

test('restartable init containers (sidecars) run alongside and add up', () => {
  const spec = { containers: [c('a', { cpu: '1' })], initContainers: [c('side', { cpu: '500m' }, 'Always'), c('init', { cpu: '1200m' })] } as unknown as PodSpec;
  // Phase 1: sidecar + init = 1700m; phase 2: containers + sidecar = 1500m.
  assert.equal(podRequests(spec).requests.milliCPU, 1700);
});

test('non-zero requests default missing cpu and memory per container for scoring', () => {
  const r = podRequests({ containers: [c('a'), c('b', { cpu: '300m' })] } as PodSpec);
  assert.equal(r.requests.milliCPU, 300);
  assert.equal(r.nonZeroCPU, DEFAULT_MILLI_CPU_REQUEST + 300);
  assert.equal(r.nonZeroMemory, 2 * DEFAULT_MEMORY_REQUEST);
});

test('node allocatable comes from status.allocatable', () => {
  const a = nodeAllocatable(makeNode('n', { cpu: '3500m', memory: '1Gi', pods: '20', 'nvidia.com/gpu': '4' }));
  assert.deepEqual(a, { resource: { milliCPU: 3500, memory: 1024 ** 3, ephemeralStorage: 0, scalar: { 'nvidia.com/gpu': 4 } }, pods: 20 });
});
