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
