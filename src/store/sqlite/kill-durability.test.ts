// kill -9 mid-stream: every write acknowledged before the kill is present after reopen, and revisions continue above them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from './driver';
import { SqliteStore } from './sqlite-store';

test('SIGKILL never loses or corrupts an acknowledged write', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-kill-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'state.db');
  const child = spawn(process.execPath, [join(__dirname, 'kill-durability-child.js'), path], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`child acknowledged too little: ${out.length} bytes`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').length > 2000) {
        clearTimeout(deadline);
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  assert.equal(await exited, 'SIGKILL');

  // Only complete lines were acknowledged; a torn last line was cut by the kill.
  const acked = out.split('\n').slice(0, -1).map((line) => {
    const [key, rev] = line.split(' ');
    return { key, rev: Number(rev) };
  });
  assert.ok(acked.length >= 2000);

  const db = openDatabase(path);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();

  const store = new SqliteStore({ path });
  for (const { key, rev } of acked) {
    assert.equal((await store.get(key))?.modRevision, rev, `acknowledged ${key} at ${rev}`);
  }
  const next = await store.create('/after-restart', '');
  assert.ok(next.modRevision > Math.max(...acked.map((a) => a.rev)));
  await store.close();
});
