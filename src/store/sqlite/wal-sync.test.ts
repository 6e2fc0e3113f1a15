// WalSync: concurrent callers share syncs, and are settled in the order they asked.
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WalSync } from './wal-sync';

test('callers arriving while a sync runs share the next one, and settle in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-wal-'));
  const path = join(dir, 'x-wal');
  writeFileSync(path, 'frames');
  const wal = new WalSync(path);
  try {
    const order: number[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, i) => wal.sync().then(() => order.push(i))));
    assert.deepEqual(order, Array.from({ length: 20 }, (_, i) => i));
    assert.ok(wal.syncs <= 2, `20 callers took ${wal.syncs} syncs`);
    // A replaced file is followed: the sync after it goes to the new one.
    const inode = () => (wal as unknown as { ino: number }).ino;
    const before = inode();
    writeFileSync(`${path}.new`, 'new frames');
    renameSync(`${path}.new`, path); // the old file stays open here, so its inode number cannot be reused
    await wal.sync();
    assert.equal(inode(), statSync(path).ino);
    assert.notEqual(inode(), before);
  } finally {
    wal.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
