// Tests for container resolution and the simulated-node refusal shared by the pod streaming subresources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import { NodeStreamingRegistry } from '../../kubelet/streaming';
import { kubeletOf, resolveContainer } from './pod-kubelet';

const pod: Pod = { metadata: { name: 'web' }, spec: { nodeName: 'sim-1', initContainers: [{ name: 'init' }], containers: [{ name: 'a' }, { name: 'b' }] } };

test('resolveContainer picks the named or only container, and words refusals as upstream', () => {
  assert.equal(resolveContainer(pod, 'init'), 'init');
  assert.equal(resolveContainer({ ...pod, spec: { containers: [{ name: 'only' }] } }, undefined), 'only');
  assert.throws(() => resolveContainer(pod, undefined), { code: 400, message: 'a container name must be specified for pod web, choose one of: [init a b]' });
  assert.throws(() => resolveContainer(pod, 'x'), { code: 400, message: 'container x is not valid for pod web' });
});

test('kubeletOf finds the node kubelet, and refuses pods on simulated or no nodes', () => {
  const reg = new NodeStreamingRegistry();
  assert.throws(() => kubeletOf(reg, pod, 'it has no logs'), { code: 400, message: 'pod "web" runs on simulated node "sim-1": it has no logs' });
  assert.throws(() => kubeletOf(reg, { ...pod, spec: { containers: [] } }, 'x'), { message: 'pod web does not have a host assigned' });
  const k = { logPath: async () => undefined, exec: async () => '', attach: async () => '', portForward: async () => '' };
  reg.register('sim-1', k);
  assert.equal(kubeletOf(reg, pod, 'x'), k);
});
