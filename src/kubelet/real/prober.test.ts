import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, Probe } from 'kubernetes-types/core/v1';
import { ManualClock } from '../../util/manual-clock';
import { ProbeManager } from './prober';
import type { ProbeOutcome } from './probes';
import type { PodRuntimeState } from './runtime-state';


const podWith = (probes: { livenessProbe?: Probe; readinessProbe?: Probe; startupProbe?: Probe }): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { containers: [{ name: 'app', image: 'busybox', ...probes }] },
});
const state = (startedAt: number): PodRuntimeState => ({
  sandboxes: [{ id: 's', attempt: 0, ready: true, ips: ['10.0.0.2'], createdAt: 0 }],
  containers: [{ id: 'c1', name: 'app', sandboxId: 's', restartCount: 0, state: 'running', createdAt: startedAt, startedAt, finishedAt: 0, exitCode: 0, reason: '', message: '', image: '', imageRef: '', logPath: '' }],
});

function setup(outcomes: () => ProbeOutcome) {
  const clock = new ManualClock();
  const events: string[] = [];
  const changes: string[] = [];
  const m = new ProbeManager({ execSync: async () => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 }) }, clock, { event: (_o, _t, reason, msg) => events.push(`${reason}: ${msg}`) }, (uid) => changes.push(uid), async () => outcomes());
  return { clock, events, changes, m };
}

test('a liveness probe failing failureThreshold times marks the container for a restart', async () => {
  const { clock, events, changes, m } = setup(() => ({ result: 'failure', output: 'nope' }));
  m.sync(podWith({ livenessProbe: { exec: { command: ['x'] }, periodSeconds: 1, failureThreshold: 2, initialDelaySeconds: 1 } }), state(clock.now()));
  await clock.advanceSettling(1500);
  assert.equal(m.unhealthy('u1').size, 0);
  await clock.advanceSettling(1000);
  assert.equal(m.unhealthy('u1').get('c1'), 'Container app failed liveness probe, will be restarted');
  assert.deepEqual(changes, ['u1']);
  assert.deepEqual(events, ['Unhealthy: Liveness probe failed: nope', 'Unhealthy: Liveness probe failed: nope']);
  // On hold afterwards: no more probes of this instance.
  await clock.advanceSettling(5000);
  assert.equal(events.length, 2);
});

test('readiness starts unready, follows the probe, and a gone container drops its results', async () => {
  let result: 'success' | 'failure' = 'success';
  const { clock, changes, m } = setup(() => ({ result, output: '' }));
  const pod = podWith({ readinessProbe: { exec: { command: ['x'] }, periodSeconds: 1 } });
  m.sync(pod, state(clock.now()));
  assert.equal(m.ready('c1'), false);
  await clock.advanceSettling(10);
  assert.equal(m.ready('c1'), true);
  result = 'failure';
  await clock.advanceSettling(3000);
  assert.equal(m.ready('c1'), false);
  assert.equal(changes.length, 2);
  m.sync(pod, { ...state(0), containers: [] });
  assert.equal(m.ready('c1'), true, 'no probe known for a container that is gone');
});

test('liveness waits for the startup probe', async () => {
  let started = false;
  const { clock, events, m } = setup(() => (started ? { result: 'success', output: '' } : { result: 'failure', output: 'not yet' }));
  m.sync(podWith({ startupProbe: { exec: { command: ['s'] }, periodSeconds: 1, failureThreshold: 10 }, livenessProbe: { exec: { command: ['l'] }, periodSeconds: 1 } }), state(clock.now()));
  await clock.advanceSettling(2500);
  assert.equal(m.started('c1'), false);
  assert.ok(events.every((e) => e.startsWith('Unhealthy: Startup probe failed')));
  started = true;
  await clock.advanceSettling(1000);
  assert.equal(m.started('c1'), true);
});
