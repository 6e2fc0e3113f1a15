// Unit tests of the pure sim pod progression: Pending → ContainerCreating → Running, probes, jobs, restarts, deletion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from '../../api/types';
import { nextSimPodState, restartDelayMs, type SimPodDecision, type SimPodTiming } from './pod-lifecycle';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const timing: SimPodTiming = { sandboxMs: 1000, initMs: 2000, defaultRunMs: 3000 };

function pod(over: Partial<Pod['spec']> = {}, annotations: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '5', annotations },
    spec: { nodeName: 'sim-node-1', restartPolicy: 'Always', containers: [{ name: 'app', image: 'nginx:1.27' }], ...over },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}

/** Runs one step at `now` (podIP null: the node's range is full); applies a status update to the pod. */
function step(p: Pod, now: number, podIP: string | null = '10.244.1.2'): SimPodDecision {
  const d = nextSimPodState({ pod: p, hostIP: '172.18.0.3', podIP: podIP ?? undefined, now, timing });
  if (d.action === 'updateStatus') (p as { status?: PodStatus }).status = d.status;
  return d;
}

const cond = (s: PodStatus | undefined, type: string) => s?.conditions?.find((c) => c.type === type);

test('a new pod shows ContainerCreating until its sandbox is up, then runs with an IP from the node', () => {
  const p = pod();
  const d1 = step(p, T0);
  assert.equal(d1.action, 'updateStatus');
  assert.equal(p.status!.phase, 'Pending');
  assert.equal(p.status!.startTime, '2025-01-01T00:00:00Z');
  assert.equal(p.status!.hostIP, '172.18.0.3');
  assert.equal(p.status!.podIP, undefined);
  assert.equal(p.status!.qosClass, 'BestEffort');
  assert.deepEqual(p.status!.containerStatuses![0].state, { waiting: { reason: 'ContainerCreating' } });
  assert.equal(cond(p.status, 'PodReadyToStartContainers')!.status, 'False');
  assert.equal(cond(p.status, 'Ready')!.reason, 'ContainersNotReady');
  assert.equal(cond(p.status, 'Ready')!.message, 'containers with unready status: [app]');
  assert.equal(d1.requeueAfterMs, 1000);

  assert.equal(step(p, T0 + 500).action, 'none');
  const d2 = step(p, T0 + 1000);
  assert.equal(d2.action, 'updateStatus');
  const s = p.status!;
  assert.equal(s.phase, 'Running');
  assert.deepEqual(s.podIPs, [{ ip: '10.244.1.2' }]);
  assert.equal(s.podIP, '10.244.1.2');
  const c = s.containerStatuses![0];
  assert.equal(c.ready, true);
  assert.equal(c.started, true);
  assert.equal(c.restartCount, 0);
  assert.equal(c.image, 'docker.io/library/nginx:1.27');
  assert.match(c.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.match(c.containerID!, /^sim:\/\/[0-9a-f]{64}$/);
  assert.equal(c.state!.running!.startedAt, '2025-01-01T00:00:01Z');
  assert.deepEqual(
    s.conditions!.map((x) => [x.type, x.status]),
    [
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ],
  );
  assert.deepEqual(
    (d2 as { events: { reason: string }[] }).events.map((e) => e.reason),
    ['Pulled', 'Created', 'Started'],
  );
  // Steady: nothing more to do and nothing due.
  assert.deepEqual(step(p, T0 + 60_000), { action: 'none', requeueAfterMs: undefined });
});

test('transition times stay put while a condition keeps its status', () => {
  const p = pod();
  step(p, T0);
  step(p, T0 + 1000);
  const scheduled = cond(p.status, 'PodScheduled')!.lastTransitionTime;
  const ready = cond(p.status, 'Ready')!.lastTransitionTime;
  assert.equal(scheduled, '2025-01-01T00:00:00Z');
  assert.equal(ready, '2025-01-01T00:00:01Z');
});

test('readiness waits for the readiness probe initialDelaySeconds', () => {
  const p = pod({ containers: [{ name: 'app', image: 'nginx', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 5 } }] });
  step(p, T0);
  const d = step(p, T0 + 1000);
  assert.equal(p.status!.phase, 'Running');
  assert.equal(p.status!.containerStatuses![0].ready, false);
  assert.equal(p.status!.containerStatuses![0].started, true);
  assert.equal(cond(p.status, 'Ready')!.status, 'False');
  assert.equal(d.action === 'updateStatus' && d.requeueAfterMs, 5000);
  assert.equal(step(p, T0 + 5999).action, 'none');
  step(p, T0 + 6000);
  assert.equal(p.status!.containerStatuses![0].ready, true);
  assert.equal(cond(p.status, 'Ready')!.status, 'True');
});

test('init containers run one after the other before the app containers start', () => {
  const p = pod({ initContainers: [{ name: 'init-a', image: 'busybox' }, { name: 'init-b', image: 'busybox' }] });
  step(p, T0);
  assert.equal(p.status!.containerStatuses![0].state!.waiting!.reason, 'PodInitializing');
  step(p, T0 + 1000);
  assert.ok(p.status!.initContainerStatuses![0].state!.running);
  assert.equal(p.status!.initContainerStatuses![1].state!.waiting!.reason, 'PodInitializing');
  assert.equal(cond(p.status, 'Initialized')!.message, 'containers with incomplete status: [init-a init-b]');
  assert.equal(p.status!.phase, 'Pending');
  step(p, T0 + 3000);
  assert.equal(p.status!.initContainerStatuses![0].state!.terminated!.reason, 'Completed');
  assert.equal(p.status!.initContainerStatuses![0].ready, true);
  assert.ok(p.status!.initContainerStatuses![1].state!.running);
  assert.ok(p.status!.containerStatuses![0].state!.waiting);
  step(p, T0 + 5000);
  assert.equal(p.status!.initContainerStatuses![1].state!.terminated!.exitCode, 0);
  assert.ok(p.status!.containerStatuses![0].state!.running);
  assert.equal(p.status!.phase, 'Running');
  assert.equal(cond(p.status, 'Initialized')!.status, 'True');
});

test('a Never pod exits 0 after the default run time and Succeeds', () => {
  const p = pod({ restartPolicy: 'Never' });
  step(p, T0);
  const d = step(p, T0 + 1000);
  assert.equal(d.action === 'updateStatus' && d.requeueAfterMs, 3000);
  step(p, T0 + 4000);
  const s = p.status!;
  assert.equal(s.phase, 'Succeeded');
  assert.deepEqual(
    { ...s.containerStatuses![0].state!.terminated, containerID: undefined },
    { exitCode: 0, reason: 'Completed', startedAt: '2025-01-01T00:00:01Z', finishedAt: '2025-01-01T00:00:04Z', containerID: undefined },
  );
  assert.equal(cond(s, 'Ready')!.reason, 'PodCompleted');
  assert.equal(cond(s, 'ContainersReady')!.reason, 'PodCompleted');
  assert.equal(cond(s, 'Initialized')!.reason, 'PodCompleted');
  assert.equal(cond(s, 'PodReadyToStartContainers')!.status, 'False');
  assert.equal(s.podIP, '10.244.1.2');
  // A finished pod is left alone.
  assert.deepEqual(step(p, T0 + 100_000), { action: 'none' });
});

test('annotations set the run time and a failing exit code: Failed with reason Error under Never', () => {
  const p = pod({ restartPolicy: 'Never' }, { 'tugboat.dev/sim-run-seconds': '5', 'tugboat.dev/sim-exit-code': '1' });
  step(p, T0);
  step(p, T0 + 1000);
  assert.equal(step(p, T0 + 5999).action, 'none');
  step(p, T0 + 6000);
  assert.equal(p.status!.phase, 'Failed');
  assert.equal(p.status!.containerStatuses![0].state!.terminated!.reason, 'Error');
  assert.equal(p.status!.containerStatuses![0].state!.terminated!.exitCode, 1);
  assert.equal(cond(p.status, 'Ready')!.reason, 'PodFailed');
});

test('OnFailure restarts a failed container at once, then backs off (CrashLoopBackOff)', () => {
  const p = pod({ restartPolicy: 'OnFailure' }, { 'tugboat.dev/sim-run-seconds': '2', 'tugboat.dev/sim-exit-code': '1' });
  step(p, T0);
  step(p, T0 + 1000);
  step(p, T0 + 3000);
  let c = p.status!.containerStatuses![0];
  assert.equal(c.restartCount, 1);
  assert.ok(c.state!.running);
  assert.equal(c.lastState!.terminated!.exitCode, 1);
  assert.equal(p.status!.phase, 'Running');
  const d = step(p, T0 + 5000);
  c = p.status!.containerStatuses![0];
  assert.equal(c.state!.waiting!.reason, 'CrashLoopBackOff');
  assert.equal(c.restartCount, 1);
  assert.equal(d.action === 'updateStatus' && d.requeueAfterMs, 10_000);
  assert.equal(p.status!.phase, 'Running');
  step(p, T0 + 15_000);
  c = p.status!.containerStatuses![0];
  assert.equal(c.restartCount, 2);
  assert.ok(c.state!.running);
  assert.deepEqual([0, 1, 2, 3, 10].map(restartDelayMs), [0, 10_000, 20_000, 40_000, 300_000]);
});

test('OnFailure with exit code 0 Succeeds', () => {
  const p = pod({ restartPolicy: 'OnFailure' });
  step(p, T0);
  step(p, T0 + 1000);
  step(p, T0 + 4000);
  assert.equal(p.status!.phase, 'Succeeded');
});

test('a deleted pod stops its containers at once and goes when its grace period has passed', () => {
  const p = pod();
  step(p, T0);
  step(p, T0 + 1000);
  const meta = p.metadata as ObjectMeta;
  meta.deletionTimestamp = '2025-01-01T00:00:40Z';
  meta.deletionGracePeriodSeconds = 30;
  const d = step(p, T0 + 10_000);
  assert.equal(d.action, 'updateStatus');
  assert.deepEqual((d as { events: { reason: string; message: string }[] }).events, [{ type: 'Normal', reason: 'Killing', message: 'Stopping container app' }]);
  assert.equal(p.status!.containerStatuses![0].state!.terminated!.reason, 'Error');
  assert.equal(p.status!.containerStatuses![0].state!.terminated!.exitCode, 143);
  assert.equal(p.status!.phase, 'Running', 'Terminating for the grace period');
  assert.equal(cond(p.status, 'Ready')!.status, 'False');
  assert.equal(d.requeueAfterMs, 30_000);
  assert.equal(step(p, T0 + 39_999).action, 'none');
  // Then the terminal phase, as kubelets since 1.27 report it, and the delete.
  assert.equal(step(p, T0 + 40_000).action, 'updateStatus');
  assert.equal(p.status!.phase, 'Failed');
  assert.deepEqual(step(p, T0 + 40_000), { action: 'delete' });
});

test('a deleted pod still creating its containers ends Failed when its grace period has passed, then goes', () => {
  const p = pod();
  step(p, T0);
  assert.equal(p.status!.phase, 'Pending');
  const meta = p.metadata as ObjectMeta;
  meta.deletionTimestamp = '2025-01-01T00:00:00.500Z';
  assert.equal(step(p, T0 + 600).action, 'updateStatus');
  assert.equal(p.status!.phase, 'Failed');
  assert.deepEqual(step(p, T0 + 600), { action: 'delete' });
});

test('a deleted pod that never started goes at once', () => {
  const p = pod();
  (p.metadata as ObjectMeta).deletionTimestamp = '2025-01-01T00:00:30Z';
  assert.deepEqual(step(p, T0), { action: 'delete' });
});

test('without a free address the sandbox waits', () => {
  const p = pod();
  step(p, T0, null);
  const d = step(p, T0 + 1000, null);
  assert.equal(d.action, 'none');
  assert.equal(d.requeueAfterMs, 10_000);
  assert.equal(p.status!.podIP, undefined);
});

test('hostNetwork pods take the node address', () => {
  const p = pod({ hostNetwork: true });
  step(p, T0, null);
  step(p, T0 + 1000, null);
  assert.equal(p.status!.podIP, '172.18.0.3');
});

test('conditions owned by others are kept and a controller-set Ready=False is corrected', () => {
  const p = pod({ readinessGates: [{ conditionType: 'example.com/gate' }] });
  step(p, T0);
  step(p, T0 + 1000);
  assert.equal(cond(p.status, 'Ready')!.reason, 'ReadinessGatesNotReady');
  assert.equal(cond(p.status, 'Ready')!.message, 'corresponding condition of pod readiness gate "example.com/gate" does not exist.');
  (p.status as { conditions?: unknown[] }).conditions = [
    { type: 'example.com/gate', status: 'True' },
    ...p.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', reason: undefined, message: undefined } : c)),
  ];
  step(p, T0 + 2000);
  assert.equal(cond(p.status, 'Ready')!.status, 'True');
  assert.equal(p.status!.conditions![0].type, 'example.com/gate');
});

test('a sidecar starts before the next init container and stops when a job pod finishes', () => {
  const p = pod({ restartPolicy: 'Never', initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] });
  step(p, T0);
  step(p, T0 + 1000);
  assert.ok(p.status!.initContainerStatuses![0].state!.running);
  assert.ok(p.status!.containerStatuses![0].state!.running);
  step(p, T0 + 4000);
  assert.equal(p.status!.phase, 'Succeeded');
  assert.equal(p.status!.initContainerStatuses![0].state!.terminated!.exitCode, 0);
});

test('a pod the kubelet sees only after its sandbox time (a busy node) starts in one step', () => {
  const p = pod();
  (p.metadata as ObjectMeta).creationTimestamp = '2024-12-31T23:59:55Z';
  const d = step(p, T0);
  assert.equal(d.action, 'updateStatus');
  assert.equal(p.status!.phase, 'Running');
  assert.equal(p.status!.startTime, '2025-01-01T00:00:00Z');
  assert.equal(p.status!.podIP, '10.244.1.2');
  const fresh = pod();
  (fresh.metadata as ObjectMeta).creationTimestamp = '2025-01-01T00:00:00Z';
  step(fresh, T0 + 200);
  assert.equal(fresh.status!.containerStatuses![0].state!.waiting!.reason, 'ContainerCreating');
});
