import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RuntimeReader, criLogText, readTerminationMessage, runtimeFingerprints, type CriRuntime } from './runtime';
import { LABEL_POD_UID, type RuntimeContainer } from './runtime-state';

test('CRI log lines become their text, partial lines joined', () => {
  const log = '2026-01-01T00:00:00.1Z stdout P hel\n2026-01-01T00:00:00.2Z stdout F lo\n2026-01-01T00:00:00.3Z stderr F oops\n';
  assert.equal(criLogText(log), 'hello\noops\n');
});

test('termination message from the file, else the log tail of a failed FallbackToLogsOnError container', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'h2-term-'));
  try {
    const file = join(dir, 'msg');
    const log = join(dir, '0.log');
    writeFileSync(log, Array.from({ length: 100 }, (_, i) => `2026-01-01T00:00:00Z stdout F line ${i}`).join('\n') + '\n');
    const c = { exitCode: 1, logPath: log, terminationMessageFile: file, messageFromLogs: true } as RuntimeContainer;
    writeFileSync(file, 'bye\n');
    assert.equal(await readTerminationMessage(c), 'bye\n');
    writeFileSync(file, '');
    const tail = await readTerminationMessage(c);
    assert.equal(tail.split('\n').length, 80);
    assert.ok(tail.endsWith('line 99'));
    assert.equal(await readTerminationMessage({ ...c, messageFromLogs: false }), '');
    assert.equal(await readTerminationMessage({ ...c, exitCode: 0 }), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('podState remembers the fingerprint of what it read, as a relist would print it, and forgets it when the pod is gone', async () => {
  let sandboxes = [{ id: 's1', state: 'SANDBOX_READY', createdAt: 2e6, labels: { [LABEL_POD_UID]: 'u1' }, metadata: { attempt: 0 } }];
  let statusCalls = 0;
  const cri = {
    listPodSandbox: async () => ({ items: sandboxes }),
    listContainers: async () => ({ containers: [] }),
    podSandboxStatus: async () => {
      statusCalls++;
      return { status: { id: 's1', state: 'SANDBOX_READY', createdAt: 2e6, network: { ip: '10.0.0.5' } } };
    },
  } as unknown as CriRuntime;
  const reader = new RuntimeReader(cri);
  const state = await reader.podState('u1');
  assert.deepEqual(state.sandboxes.map((s) => [s.id, s.ips]), [['s1', ['10.0.0.5']]]);
  const relisted = runtimeFingerprints(await reader.relist());
  assert.equal(reader.lastObserved('u1'), relisted.get('u1'));
  // A ready sandbox's IPs are read once.
  await reader.podState('u1');
  assert.equal(statusCalls, 1);
  sandboxes = [];
  await reader.podState('u1');
  assert.equal(reader.lastObserved('u1'), undefined);
});

test('podState asks for the statuses of just-changed ids together with the listing, and reuses a running container status while it stays running', async () => {
  const calls: string[] = [];
  let listed = 'CONTAINER_RUNNING';
  const cri = {
    listPodSandbox: async () => {
      calls.push('list sandboxes');
      return { items: [] };
    },
    listContainers: async () => {
      calls.push('list containers');
      return { containers: [{ id: 'c1', podSandboxId: 's1', state: listed, createdAt: 1e6, labels: { [LABEL_POD_UID]: 'u1' } }] };
    },
    containerStatus: async ({ containerId }: { containerId: string }) => {
      calls.push(`status ${containerId}`);
      return { status: { id: containerId, state: listed, createdAt: 1e6, startedAt: 2e6, exitCode: listed === 'CONTAINER_EXITED' ? 3 : 0, metadata: { name: 'app' } } };
    },
  } as unknown as CriRuntime;
  const reader = new RuntimeReader(cri);
  const read = reader.podState('u1', { containerIds: ['c1'] });
  // Asked before either listing has answered: one round trip, not two.
  assert.deepEqual(calls.slice(0, 1), ['status c1']);
  assert.equal((await read).containers[0].state, 'running');
  calls.length = 0;
  const again = await reader.podState('u1');
  assert.equal(again.containers[0].startedAt, 2);
  assert.deepEqual(calls.sort(), ['list containers', 'list sandboxes'], 'a running container is not asked about again');
  calls.length = 0;
  listed = 'CONTAINER_EXITED';
  const exited = await reader.podState('u1');
  assert.deepEqual([exited.containers[0].state, exited.containers[0].exitCode], ['exited', 3]);
  assert.ok(calls.includes('status c1'), 'a container the listing shows changed is read again');
});

test('unseen: only once a relist has been done, and only for pods it found nothing of', async () => {
  const cri = {
    listPodSandbox: async () => ({ items: [{ id: 's1', state: 'SANDBOX_READY', createdAt: 1, labels: { [LABEL_POD_UID]: 'u1' } }] }),
    listContainers: async () => ({ containers: [{ id: 'c2', podSandboxId: 'sx', state: 'CONTAINER_EXITED', createdAt: 1, labels: { [LABEL_POD_UID]: 'u2' } }] }),
  } as unknown as CriRuntime;
  const reader = new RuntimeReader(cri);
  assert.equal(reader.unseen('u3'), false, 'before any relist nothing is known');
  await reader.relist();
  assert.deepEqual(['u1', 'u2', 'u3'].map((u) => reader.unseen(u)), [false, false, true]);
});

test('a complete set of just-made ids is read by status calls alone, and leaves the fingerprint a relist would print', async () => {
  const calls: string[] = [];
  const sandbox = { id: 's1', state: 'SANDBOX_READY', createdAt: 1e6, metadata: { attempt: 0 }, network: { ip: '10.0.0.9' }, labels: { [LABEL_POD_UID]: 'u1' } };
  const container = { id: 'c1', podSandboxId: 's1', state: 'CONTAINER_RUNNING', createdAt: 2e6, startedAt: 3e6, metadata: { name: 'app' }, labels: { [LABEL_POD_UID]: 'u1' } };
  const cri = {
    listPodSandbox: async () => (calls.push('list'), { items: [sandbox] }),
    listContainers: async () => (calls.push('list'), { containers: [container] }),
    podSandboxStatus: async () => (calls.push('status s1'), { status: sandbox }),
    containerStatus: async () => (calls.push('status c1'), { status: container }),
  } as unknown as CriRuntime;
  const reader = new RuntimeReader(cri);
  const state = await reader.podState('u1', { sandboxId: 's1', containerIds: ['c1'], complete: true });
  assert.deepEqual(calls.sort(), ['status c1', 'status s1'], 'no listing');
  assert.deepEqual([state.sandboxes[0].ips, state.containers[0].state, state.containers[0].sandboxId], [['10.0.0.9'], 'running', 's1']);
  assert.equal(reader.lastObserved('u1'), runtimeFingerprints(await reader.relist()).get('u1'));
});
