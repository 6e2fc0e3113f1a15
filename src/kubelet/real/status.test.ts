import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodRuntimeState, RuntimeContainer } from './runtime-state';
import { computePodStatus, podStatusChanged, type PodStatusInput, type WaitingReason } from './status';

const T = Date.parse('2026-01-01T00:00:00Z');
const pod = (spec: Partial<Pod['spec']> = {}, status: Pod['status'] = { phase: 'Pending', qosClass: 'BestEffort' }): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec } as Pod['spec'],
  status,
});
let seq = 0;
const ctr = (name: string, state: RuntimeContainer['state'], over: Partial<RuntimeContainer> = {}): RuntimeContainer => ({
  id: `${name}${++seq}`,
  name,
  sandboxId: 's1',
  restartCount: 0,
  state,
  createdAt: T + seq,
  startedAt: T + 1000,
  finishedAt: state === 'exited' ? T + 5000 : 0,
  exitCode: 0,
  reason: '',
  message: '',
  image: 'docker.io/library/busybox:latest',
  imageRef: 'sha256:abc',
  logPath: '',
  ...over,
});
const running: PodRuntimeState = { sandboxes: [{ id: 's1', attempt: 0, ready: true, ips: ['10.244.0.5'], createdAt: T }], containers: [] };
const input = (p: Pod, containers: RuntimeContainer[], over: Partial<PodStatusInput> = {}): PodStatusInput => ({
  pod: p,
  state: { ...running, containers: [...containers].reverse() },
  hostIP: '192.0.2.2',
  now: T + 10_000,
  waiting: new Map<string, WaitingReason>(),
  ready: () => true,
  started: () => true,
  terminal: false,
  ...over,
});

test('a running pod: phase, IPs, ready conditions, container state and ids', () => {
  const s = computePodStatus(input(pod(), [ctr('app', 'running', { id: 'abc' })]));
  assert.equal(s.phase, 'Running');
  assert.equal(s.podIP, '10.244.0.5');
  assert.deepEqual(s.podIPs, [{ ip: '10.244.0.5' }]);
  assert.equal(s.hostIP, '192.0.2.2');
  assert.equal(s.qosClass, 'BestEffort');
  assert.equal(s.startTime, '2026-01-01T00:00:10Z');
  const c = s.containerStatuses![0];
  assert.deepEqual(c.state, { running: { startedAt: '2026-01-01T00:00:01Z' } });
  assert.equal(c.containerID, 'containerd://abc');
  assert.equal(c.imageID, 'sha256:abc');
  assert.equal(c.ready, true);
  assert.equal(c.started, true);
  assert.deepEqual(
    s.conditions!.map((x) => `${x.type}=${x.status}`),
    ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
  );
});

test('a new pod shows ContainerCreating, or PodInitializing behind init containers', () => {
  const s = computePodStatus(input(pod(), [], { state: { sandboxes: [], containers: [] } }));
  assert.equal(s.phase, 'Pending');
  assert.equal(s.containerStatuses![0].state!.waiting!.reason, 'ContainerCreating');
  assert.equal(s.containerStatuses![0].image, 'docker.io/library/busybox:latest');
  const i = computePodStatus(input(pod({ initContainers: [{ name: 'init', image: 'busybox' }] }), [ctr('init', 'running')]));
  assert.equal(i.containerStatuses![0].state!.waiting!.reason, 'PodInitializing');
  assert.ok(i.initContainerStatuses![0].state!.running);
  assert.equal(i.conditions!.find((c) => c.type === 'Initialized')!.status, 'False');
});

test('a crash-looping container waits with the last instance as lastState', () => {
  const waiting = new Map([['app', { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=p_default(u1)' }]]);
  const s = computePodStatus(input(pod(), [ctr('app', 'exited', { exitCode: 2, restartCount: 1 })], { waiting }));
  const c = s.containerStatuses![0];
  assert.equal(c.state!.waiting!.reason, 'CrashLoopBackOff');
  assert.equal(c.lastState!.terminated!.exitCode, 2);
  assert.equal(c.lastState!.terminated!.reason, 'Error');
  assert.equal(c.restartCount, 1);
  assert.equal(s.phase, 'Running');
});

test('a restarted container keeps its previous instance as lastState; OOMKilled is reported as the runtime says', () => {
  const s = computePodStatus(input(pod(), [ctr('app', 'exited', { exitCode: 137, reason: 'OOMKilled' }), ctr('app', 'running', { restartCount: 1 })]));
  const c = s.containerStatuses![0];
  assert.ok(c.state!.running);
  assert.deepEqual(c.lastState!.terminated!.reason, 'OOMKilled');
  assert.equal(c.lastState!.terminated!.exitCode, 137);
  assert.equal(c.restartCount, 1);
});

test('terminal pods: Succeeded or Failed from exit codes, sandbox not ready', () => {
  const ok = computePodStatus(input(pod({ restartPolicy: 'Never' }), [ctr('app', 'exited')], { terminal: true }));
  assert.equal(ok.phase, 'Succeeded');
  assert.equal(ok.containerStatuses![0].state!.terminated!.reason, 'Completed');
  assert.equal(ok.conditions!.find((c) => c.type === 'PodReadyToStartContainers')!.status, 'False');
  const bad = computePodStatus(input(pod({ restartPolicy: 'Never' }), [ctr('app', 'exited', { exitCode: 1 })], { terminal: true }));
  assert.equal(bad.phase, 'Failed');
});

test('readiness and startup probes decide ready and started', () => {
  const s = computePodStatus(input(pod(), [ctr('app', 'running')], { ready: () => false }));
  assert.equal(s.containerStatuses![0].ready, false);
  assert.equal(s.conditions!.find((c) => c.type === 'Ready')!.status, 'False');
  const u = computePodStatus(input(pod(), [ctr('app', 'running')], { started: () => false }));
  assert.equal(u.containerStatuses![0].started, false);
  assert.equal(u.containerStatuses![0].ready, false);
});

test('image pull errors show as the waiting reason', () => {
  const waiting = new Map([['app', { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' }]]);
  const s = computePodStatus(input(pod(), [], { waiting }));
  assert.deepEqual(s.containerStatuses![0].state, { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } });
});

test('an unchanged status is not written again', () => {
  const first = computePodStatus(input(pod(), [ctr('app', 'running', { id: 'x1' })]));
  const again = computePodStatus(input(pod({}, first), [ctr('app', 'running', { id: 'x1' })], { now: T + 60_000 }));
  assert.equal(podStatusChanged(first, again), false);
});

