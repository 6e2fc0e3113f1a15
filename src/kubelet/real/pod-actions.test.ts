import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { Backoff } from './backoff';
import { backoffKey, computePodActions, shouldRestart, type PodActionsContext } from './pod-actions';
import type { PodRuntimeState, RuntimeContainer, RuntimeSandbox } from './runtime-state';

const NOW = 1_000_000_000;

function pod(spec: Partial<Pod['spec']> & { containers?: Container[] } = {}): Pod {
  return { metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec } as Pod['spec'] };
}
const sb = (over: Partial<RuntimeSandbox> = {}): RuntimeSandbox => ({ id: 's1', attempt: 0, ready: true, ips: ['10.244.0.2'], createdAt: 1, ...over });
let seq = 0;
function ctr(name: string, state: RuntimeContainer['state'], over: Partial<RuntimeContainer> = {}): RuntimeContainer {
  seq++;
  return { id: `${name}-${seq}`, name, sandboxId: 's1', restartCount: 0, state, createdAt: seq, startedAt: 1, finishedAt: state === 'exited' ? NOW - 60_000 : 0, exitCode: 0, reason: '', message: '', image: 'busybox', imageRef: '', logPath: '', ...over };
}
const state = (sandboxes: RuntimeSandbox[], containers: RuntimeContainer[]): PodRuntimeState => ({ sandboxes, containers: [...containers].reverse() });
function ctx(over: Partial<PodActionsContext> = {}): PodActionsContext {
  return { now: NOW, backoff: new Backoff(), unhealthy: new Map(), started: () => true, ...over };
}
const names = (a: { container: Container }[]) => a.map((s) => s.container.name);

test('a new pod gets a sandbox and its containers', () => {
  const a = computePodActions(pod(), state([], []), ctx());
  assert.equal(a.createSandbox, true);
  assert.equal(a.killPod, false);
  assert.equal(a.attempt, 0);
  assert.deepEqual(names(a.start), ['app']);
  assert.equal(a.start[0].restartCount, 0);
});

test('a new pod with init containers starts only the first init container', () => {
  const p = pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }] });
  const a = computePodActions(p, state([], []), ctx());
  assert.equal(a.createSandbox, true);
  assert.deepEqual(names(a.start), ['i1']);
  assert.equal(a.start[0].init, true);
});

test('a running pod needs nothing', () => {
  const a = computePodActions(pod(), state([sb()], [ctr('app', 'running')]), ctx());
  assert.deepEqual(a, { killPod: false, createSandbox: false, sandboxId: 's1', attempt: 0, start: [], kill: [], backoff: [], continueAfterStart: false });
});

test('a dead sandbox is replaced with the next attempt, killing the old one', () => {
  const a = computePodActions(pod(), state([sb({ ready: false })], [ctr('app', 'exited')]), ctx());
  assert.equal(a.createSandbox, true);
  assert.equal(a.killPod, true);
  assert.equal(a.attempt, 1);
  assert.deepEqual(names(a.start), ['app']);
  assert.equal(a.start[0].restartCount, 1);
});

test('a sandbox without an IP is replaced unless the pod uses the host network', () => {
  assert.equal(computePodActions(pod(), state([sb({ ips: [] })], []), ctx()).createSandbox, true);
  assert.equal(computePodActions(pod({ hostNetwork: true }), state([sb({ ips: [] })], []), ctx()).createSandbox, false);
});

test('a Never pod whose sandbox died is not restarted', () => {
  const a = computePodActions(pod({ restartPolicy: 'Never' }), state([sb({ ready: false })], [ctr('app', 'exited', { exitCode: 1 })]), ctx());
  assert.equal(a.createSandbox, false);
  assert.equal(a.killPod, true);
  assert.deepEqual(a.start, []);
});

test('an OnFailure pod whose containers all succeeded gets no new sandbox', () => {
  const a = computePodActions(pod({ restartPolicy: 'OnFailure' }), state([sb({ ready: false })], [ctr('app', 'exited')]), ctx());
  assert.equal(a.createSandbox, false);
  assert.equal(a.killPod, true);
});

test('init containers run in order, then the app', () => {
  const p = pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }] });
  let a = computePodActions(p, state([sb()], [ctr('i1', 'running')]), ctx());
  assert.deepEqual(a.start, []);
  assert.equal(a.killPod, false);
  a = computePodActions(p, state([sb()], [ctr('i1', 'exited')]), ctx());
  assert.deepEqual(names(a.start), ['i2']);
  a = computePodActions(p, state([sb()], [ctr('i1', 'exited'), ctr('i2', 'exited')]), ctx());
  assert.deepEqual(names(a.start), ['app']);
  assert.equal(a.start[0].init, false);
});

test('init containers from an older sandbox do not count in a new one', () => {
  const p = pod({ initContainers: [{ name: 'i1' }] });
  const a = computePodActions(p, state([sb({ id: 's2', attempt: 1, createdAt: 5 }), sb({ ready: false })], [ctr('i1', 'exited')]), ctx());
  assert.deepEqual(names(a.start), ['i1']);
  assert.equal(a.start[0].restartCount, 1);
});

test('a failed init container is retried with back-off, or fails a Never pod', () => {
  const p = pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }] });
  const failed = state([sb()], [ctr('i1', 'exited', { exitCode: 1 })]);
  let a = computePodActions(p, failed, ctx());
  assert.deepEqual(names(a.start), ['i1']);
  assert.equal(a.start[0].restartCount, 1);
  const backoff = new Backoff();
  backoff.next(backoffKey(p, 'i1'), NOW - 70_000);
  backoff.next(backoffKey(p, 'i1'), NOW - 60_000); // 20 s, from the exit a minute ago: over
  a = computePodActions(p, failed, ctx({ backoff }));
  assert.deepEqual(names(a.start), ['i1']);
  backoff.next(backoffKey(p, 'i1'), NOW - 60_000); // 40 s
  backoff.next(backoffKey(p, 'i1'), NOW - 60_000); // 80 s: still waiting
  a = computePodActions(p, failed, ctx({ backoff }));
  assert.deepEqual(a.start, []);
  assert.deepEqual(a.backoff, [{ name: 'i1', delayMs: 80_000, until: NOW + 20_000 }]);
  a = computePodActions({ ...p, spec: { ...p.spec!, restartPolicy: 'Never' } }, failed, ctx());
  assert.equal(a.killPod, true);
  assert.deepEqual(a.start, []);
});

test('init containers are not re-run once the app has run in the sandbox', () => {
  const p = pod({ initContainers: [{ name: 'i1' }] });
  const a = computePodActions(p, state([sb()], [ctr('app', 'exited', { exitCode: 2 })]), ctx());
  assert.deepEqual(names(a.start), ['app']);
});

test('a sidecar starts before later init containers and keeps running beside the app', () => {
  const p = pod({ initContainers: [{ name: 'side', restartPolicy: 'Always' }, { name: 'i2' }] });
  let a = computePodActions(p, state([sb()], []), ctx());
  assert.deepEqual(names(a.start), ['side']);
  assert.equal(a.continueAfterStart, true, 'i2 waits only for the sidecar to run: sync again once it is started');
  a = computePodActions(p, state([sb()], [ctr('side', 'running')]), ctx());
  assert.deepEqual(names(a.start), ['i2']);
  assert.equal(a.continueAfterStart, false, "i2's exit wakes the pod");
  a = computePodActions(p, state([sb()], [ctr('side', 'running'), ctr('i2', 'exited')]), ctx());
  assert.deepEqual(names(a.start), ['app']);
  a = computePodActions(p, state([sb()], [ctr('side', 'running'), ctr('i2', 'exited'), ctr('app', 'running')]), ctx());
  assert.deepEqual(a.start, []);
  assert.equal(a.killPod, false);
});

test('a new sandbox whose first init container is a sidecar syncs again once it is started', () => {
  assert.equal(computePodActions(pod({ initContainers: [{ name: 'side', restartPolicy: 'Always' }] }), state([], []), ctx()).continueAfterStart, true);
  assert.equal(computePodActions(pod({ initContainers: [{ name: 'i1' }] }), state([], []), ctx()).continueAfterStart, false);
  assert.equal(computePodActions(pod(), state([], []), ctx()).continueAfterStart, false);
});

test('a sidecar with a startup probe holds later init containers until started', () => {
  const p = pod({ initContainers: [{ name: 'side', restartPolicy: 'Always' }, { name: 'i2' }] });
  const s = ctr('side', 'running');
  const a = computePodActions(p, state([sb()], [s]), ctx({ started: () => false }));
  assert.deepEqual(a.start, []);
});

test('an exited sidecar is restarted without re-running init containers', () => {
  const p = pod({ initContainers: [{ name: 'side', restartPolicy: 'Always' }, { name: 'i2' }] });
  const a = computePodActions(p, state([sb()], [ctr('side', 'exited', { exitCode: 1 }), ctr('i2', 'exited'), ctr('app', 'running')]), ctx());
  assert.deepEqual(names(a.start), ['side']);
  assert.equal(a.start[0].init, true);
});

test('sidecars do not keep a finished pod alive', () => {
  const p = pod({ restartPolicy: 'Never', initContainers: [{ name: 'side', restartPolicy: 'Always' }] });
  const a = computePodActions(p, state([sb()], [ctr('side', 'running'), ctr('app', 'exited')]), ctx());
  assert.equal(a.killPod, true);
  assert.deepEqual(a.start, []);
});

test('restart policies decide on exited containers', () => {
  assert.equal(shouldRestart('Always', 0), true);
  assert.equal(shouldRestart(undefined, 0), true);
  assert.equal(shouldRestart('OnFailure', 0), false);
  assert.equal(shouldRestart('OnFailure', 1), true);
  assert.equal(shouldRestart('Never', 1), false);
  const done = (policy: string, exitCode: number) => computePodActions(pod({ restartPolicy: policy }), state([sb()], [ctr('app', 'exited', { exitCode })]), ctx());
  assert.deepEqual(names(done('Always', 0).start), ['app']);
  assert.equal(done('OnFailure', 0).killPod, true);
  assert.deepEqual(names(done('OnFailure', 1).start), ['app']);
  assert.equal(done('Never', 1).killPod, true);
});

test('a pod with one finished and one running container keeps running', () => {
  const p = pod({ restartPolicy: 'Never', containers: [{ name: 'a' }, { name: 'b' }] });
  const a = computePodActions(p, state([sb()], [ctr('a', 'exited'), ctr('b', 'running')]), ctx());
  assert.equal(a.killPod, false);
  assert.deepEqual(a.start, []);
});

test('a crash-looping container waits out its back-off, and the pod stays up meanwhile', () => {
  const p = pod();
  const backoff = new Backoff();
  const key = backoffKey(p, 'app');
  backoff.next(key, NOW - 5_000); // first restart recorded: 10 s
  const st = state([sb()], [ctr('app', 'exited', { exitCode: 1, finishedAt: NOW - 5_000, restartCount: 3 })]);
  let a = computePodActions(p, st, ctx({ backoff }));
  assert.deepEqual(a.start, []);
  assert.equal(a.killPod, false);
  assert.deepEqual(a.backoff, [{ name: 'app', delayMs: 10_000, until: NOW + 5_000 }]);
  a = computePodActions(p, st, ctx({ backoff, now: NOW + 5_000 }));
  assert.deepEqual(names(a.start), ['app']);
  assert.equal(a.start[0].restartCount, 4);
});

test('a failed liveness probe kills the container; it restarts through the back-off, except in a Never pod', () => {
  const c = ctr('app', 'running');
  const unhealthy = new Map([[c.id, 'Container app failed liveness probe, will be restarted']]);
  let a = computePodActions(pod(), state([sb()], [c]), ctx({ unhealthy }));
  assert.deepEqual(a.kill, [{ id: c.id, name: 'app', message: 'Container app failed liveness probe, will be restarted' }]);
  assert.deepEqual(a.start, []);
  assert.equal(a.killPod, false);
  a = computePodActions(pod({ restartPolicy: 'Never' }), state([sb()], [c]), ctx({ unhealthy }));
  assert.equal(a.kill.length, 1);
  assert.equal(a.killPod, true);
  // Killed: the next sync restarts it, or waits when it was restarted moments ago.
  const killed = ctr('app', 'exited', { exitCode: 137, finishedAt: NOW - 1000, restartCount: 1 });
  assert.deepEqual(names(computePodActions(pod(), state([sb()], [killed]), ctx()).start), ['app']);
  const backoff = new Backoff();
  backoff.next(backoffKey(pod(), 'app'), NOW - 30_000);
  assert.equal(computePodActions(pod(), state([sb()], [killed]), ctx({ backoff })).backoff.length, 1);
});

test('a sidecar failing its liveness probe is killed without holding up the pod', () => {
  const p = pod({ initContainers: [{ name: 'side', restartPolicy: 'Always' }] });
  const s = ctr('side', 'running');
  const a = computePodActions(p, state([sb()], [s, ctr('app', 'running')]), ctx({ unhealthy: new Map([[s.id, 'Container side failed liveness probe, will be restarted']]) }));
  assert.deepEqual(a.kill.map((k) => k.name), ['side']);
  assert.equal(a.killPod, false);
});

test('deleted and finished pods are only killed', () => {
  const running = state([sb()], [ctr('app', 'running')]);
  const deleted = { ...pod(), metadata: { ...pod().metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
  assert.deepEqual(computePodActions(deleted, running, ctx()), { killPod: true, createSandbox: false, attempt: 0, start: [], kill: [], backoff: [], continueAfterStart: false });
  const failed = { ...pod(), status: { phase: 'Failed' } };
  assert.equal(computePodActions(failed, state([], []), ctx()).createSandbox, false);
});

test('a container left created (not started) is removed and started again', () => {
  const c = ctr('app', 'created');
  const a = computePodActions(pod(), state([sb()], [c]), ctx());
  assert.deepEqual(a.kill.map((k) => k.id), [c.id]);
  assert.deepEqual(names(a.start), ['app']);
});
