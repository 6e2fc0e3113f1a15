import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { criLogText, readTerminationMessage } from './runtime';
import type { RuntimeContainer } from './runtime-state';

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
