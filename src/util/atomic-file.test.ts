import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic } from './atomic-file';

test('writeFileAtomic makes the directory, replaces the file and leaves no temporary behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-file-'));
  try {
    const path = join(dir, 'sub', 'f.json');
    writeFileAtomic(path, 'one', 0o600);
    writeFileAtomic(path, 'two', 0o600);
    assert.equal(readFileSync(path, 'utf8'), 'two');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['f.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
