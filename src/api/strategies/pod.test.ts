// Tests for the Pod strategy: upstream defaults, validation messages, update rules, the STATUS column and field selectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../types';
import { podStrategy } from './pod';
import { defaultPullPolicy } from './pod-defaults';
import { podStatusCells } from './pod-table';

const msgs = (errs: { field: string; message: string }[] = []) => errs.map((e) => `${e.field}: ${e.message}`);
const pod = (spec: object, status?: object): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec, status });
const NOW = Date.parse('2024-01-01T12:00:00Z');

test('defaults fill the pod spec as upstream', () => {
  const p = pod({
    containers: [
      {
        name: 'c',
        image: 'nginx',
        ports: [{ containerPort: 80 }],
        resources: { limits: { cpu: '0.5', memory: '128Mi' } },
        livenessProbe: { httpGet: { port: 80 } },
        env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      },
    ],
    volumes: [{ name: 'v' }, { name: 's', secret: { secretName: 'x' } }],
    serviceAccountName: 'sa',
  });
  podStrategy.defaults!(p);
  const spec = p.spec;
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.enableServiceLinks, true);
  assert.equal(spec.serviceAccount, 'sa');
  const c = spec.containers[0];
  assert.equal(c.imagePullPolicy, 'Always');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.equal(c.ports[0].protocol, 'TCP');
  assert.deepEqual(c.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
  assert.deepEqual(c.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, 'v1');
  assert.deepEqual(spec.volumes[0], { name: 'v', emptyDir: {} });
  assert.equal(spec.volumes[1].secret.defaultMode, 420);
});

test('pull policy follows the tag', () => {
  assert.equal(defaultPullPolicy('nginx'), 'Always');
  assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
  assert.equal(defaultPullPolicy('nginx:1.25'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('localhost:5000/app'), 'Always');
  assert.equal(defaultPullPolicy('localhost:5000/app:v1'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('app@sha256:abc'), 'IfNotPresent');
});

test('malformed quantities are a 400 as upstream decoding', () => {
  const p = pod({ containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: 'lots' } } }] });
  assert.throws(() => podStrategy.defaults!(p), (e: Error & { code?: number }) => {
    assert.equal(e.code, 400);
    assert.match(e.message, /^Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression/);
    return true;
  });
});

test('prepareForCreate sets Pending, QoS, priority and the default tolerations', () => {
  const p = pod({ containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] });
  podStrategy.defaults!(p);
  podStrategy.prepareForCreate!(p);
  assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'Guaranteed' });
  assert.equal(p.spec.priority, 0);
  assert.equal(p.spec.preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual(
    p.spec.tolerations.map((t: { key: string }) => t.key),
    ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'],
  );
  const best = pod({ containers: [{ name: 'c', image: 'x' }] });
  podStrategy.prepareForCreate!(best);
  assert.equal(best.status.qosClass, 'BestEffort');
});

test('validation reports upstream paths and messages', () => {
  const p = pod({
    containers: [
      { name: 'Web', ports: [{ containerPort: 70000, name: 'http' }, { containerPort: 81, name: 'http' }] },
      { name: 'web2', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } }, volumeMounts: [{ name: 'nope', mountPath: '/d' }] },
      { name: 'p', image: 'x', readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 1 } } },
    ],
    restartPolicy: 'Sometimes',
  });
  podStrategy.defaults!(p);
  assert.deepEqual(msgs(podStrategy.validate!(p)), [
    "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    'spec.containers[0].image: Required value',
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.containers[0].ports[1].name: Duplicate value: "http"',
    'spec.containers[1].volumeMounts[0].name: Not found: "nope"',
    'spec.containers[1].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    'spec.containers[2].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  ]);
});

test('an empty pod needs containers; probes need a handler', () => {
  const p = pod({});
  podStrategy.defaults!(p);
  assert.deepEqual(msgs(podStrategy.validate!(p)), ['spec.containers: Required value']);
  const q = pod({ containers: [{ name: 'c', image: 'x', livenessProbe: { successThreshold: 2 } }] });
  podStrategy.defaults!(q);
  assert.deepEqual(msgs(podStrategy.validate!(q)), [
    'spec.containers[0].livenessProbe: Required value: must specify a handler type',
    'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
  ]);
});

test('updates may change images but not other spec fields', () => {
  const old = pod({ containers: [{ name: 'c', image: 'a' }] });
  podStrategy.defaults!(old);
  const img = structuredClone(old);
  img.spec.containers[0].image = 'b';
  assert.deepEqual(podStrategy.validateUpdate!(img, old), []);
  const port = structuredClone(old);
  port.spec.containers[0].ports = [{ containerPort: 80, protocol: 'TCP' }];
  const errs = msgs(podStrategy.validateUpdate!(port, old));
  assert.equal(errs.length, 1);
  assert.match(errs[0], /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,/);
  const more = structuredClone(old);
  more.spec.containers.push({ name: 'd', image: 'x' });
  assert.deepEqual(msgs(podStrategy.validateUpdate!(more, old)), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

test('STATUS column follows upstream printPod', () => {
  const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
  const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [
    { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
    { name: 'b', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-01-01T11:55:00Z' } } },
  ] };
  assert.deepEqual(podStatusCells(pod(spec, running) as never, NOW), ['2/2', 'Running', '2 (5m ago)']);
  const creating = { phase: 'Pending', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] };
  assert.deepEqual(podStatusCells(pod({ containers: [{ name: 'a' }] }, creating) as never, NOW), ['0/1', 'ContainerCreating', '0']);
  const crash = { phase: 'Running', containerStatuses: [{ name: 'a', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] };
  assert.equal(podStatusCells(pod({ containers: [{ name: 'a' }] }, crash) as never, NOW)[1], 'CrashLoopBackOff');
  const done = { phase: 'Succeeded', containerStatuses: [{ name: 'a', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] };
  assert.equal(podStatusCells(pod({ containers: [{ name: 'a' }] }, done) as never, NOW)[1], 'Completed');
  const init = { phase: 'Pending', initContainerStatuses: [{ name: 'i', restartCount: 0, state: { running: {} } }] };
  assert.equal(podStatusCells(pod({ initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] }, init) as never, NOW)[1], 'Init:0/1');
  const deleting = pod({ containers: [{ name: 'a' }] }, { phase: 'Running' });
  deleting.metadata.deletionTimestamp = '2024-01-01T11:59:00Z';
  assert.equal(podStatusCells(deleting as never, NOW)[1], 'Terminating');
});

test('row and field selectors', () => {
  const p = pod({ containers: [{ name: 'a' }], nodeName: 'n1' }, { phase: 'Running', podIP: '10.1.0.5' });
  p.metadata.creationTimestamp = '2024-01-01T11:00:00Z';
  podStrategy.defaults!(p);
  assert.deepEqual(podStrategy.row!(p, NOW), ['0/1', 'Running', '0', '60m', '10.1.0.5', 'n1', '<none>', '<none>']);
  assert.equal(podStrategy.columns!.length, podStrategy.row!(p, NOW).length);
  assert.deepEqual(podStrategy.selectableFields!(p), {
    'spec.nodeName': 'n1',
    'spec.restartPolicy': 'Always',
    'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': '',
    'spec.hostNetwork': 'false',
    'status.phase': 'Running',
    'status.podIP': '10.1.0.5',
    'status.nominatedNodeName': '',
  });
});
