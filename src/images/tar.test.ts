// The ustar writer, checked by extracting its output with the system's tar.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tarArchive } from './tar';

describe('tarArchive', () => {
  it('writes files, directories, symlinks and long paths that tar extracts exactly', () => {
    const long = `${'deep/'.repeat(30)}file.txt`; // 158 bytes: needs the ustar prefix field
    const big = Buffer.alloc(1500, 7); // spans blocks, with padding
    const archive = tarArchive([
      { type: 'dir', name: 'bin' },
      { type: 'dir', name: 'tmp', mode: 0o1777 },
      { type: 'file', name: 'bin/tool', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
      { type: 'symlink', name: 'bin/alias', target: '/bin/tool' },
      { type: 'file', name: 'big.bin', data: big, uid: 65534, gid: 65534 },
      { type: 'file', name: long, data: Buffer.from('deep') },
    ]);
    assert.equal(archive.length % 512, 0);
    const dir = mkdtempSync(join(tmpdir(), 'tugboat-tar-'));
    try {
      writeFileSync(join(dir, 'a.tar'), archive);
      mkdirSync(join(dir, 'out'));
      execFileSync('tar', ['-xpf', join(dir, 'a.tar'), '-C', join(dir, 'out'), '--numeric-owner']);
      const out = (p: string) => join(dir, 'out', p);
      assert.equal(readFileSync(out('bin/tool'), 'utf8'), '#!/bin/sh\necho hi\n');
      assert.equal(lstatSync(out('bin/tool')).mode & 0o7777, 0o755);
      assert.equal(lstatSync(out('tmp')).mode & 0o7777, 0o1777);
      assert.equal(readlinkSync(out('bin/alias')), '/bin/tool');
      assert.deepEqual(readFileSync(out('big.bin')), big);
      if (process.getuid?.() === 0) assert.equal(lstatSync(out('big.bin')).uid, 65534);
      assert.equal(readFileSync(out(long), 'utf8'), 'deep');
      const listing = execFileSync('tar', ['-tvf', join(dir, 'a.tar')], { encoding: 'utf8' });
      assert.match(listing, /^drwxrwxrwt root\/root\s+0 1970-01-01 00:00 tmp\/$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is reproducible', () => {
    const entries = [{ type: 'file' as const, name: 'a', data: Buffer.from('x') }];
    assert.deepEqual(tarArchive(entries), tarArchive(entries));
  });

  it('refuses a path ustar cannot hold', () => {
    assert.throws(() => tarArchive([{ type: 'file', name: 'x'.repeat(120), data: Buffer.alloc(0) }]), /too long/);
  });
});
