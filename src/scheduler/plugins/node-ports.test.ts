// NodePorts: host ports conflict on the same protocol and port when the IPs overlap (0.0.0.0 overlaps all).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerPort } from 'kubernetes-types/core/v1';
import { fakeContext, makeNode, makePod, nodeInfo, runFilter } from '../testing';
import { newPodInfo } from '../pod-info';
import { nodePorts } from './node-ports';

const withPorts = (name: string, ports: ContainerPort[]) => {
  const p = makePod(name);
  p.spec!.containers[0].ports = ports;
  return newPodInfo(p);
};

test('a taken host port rejects the node; other ports, protocols and IPs fit', () => {
  const n = nodeInfo(makeNode('n', {}), [withPorts('web', [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' }])]);
  const ctx = fakeContext([n]);
  assert.deepEqual(runFilter(nodePorts, ctx, withPorts('a', [{ containerPort: 80, hostPort: 8080 }]), n), {
    code: 'Unschedulable',
    reasons: ["node(s) didn't have free ports for the requested pod ports"],
    plugin: 'NodePorts',
  });
  assert.equal(runFilter(nodePorts, ctx, withPorts('b', [{ containerPort: 80, hostPort: 8081 }]), n), undefined);
  assert.equal(runFilter(nodePorts, ctx, withPorts('c', [{ containerPort: 80, hostPort: 8080, protocol: 'UDP' }]), n), undefined);
  assert.equal(runFilter(nodePorts, ctx, withPorts('d', [{ containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.2' }]), n), undefined);
  assert.notEqual(runFilter(nodePorts, ctx, withPorts('e', [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }]), n), undefined);
  assert.equal(runFilter(nodePorts, ctx, withPorts('f', [{ containerPort: 80 }]), n), 'Skip');
});
