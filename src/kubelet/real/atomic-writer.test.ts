import assert from 'node:assert/strict';
import { lstat, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { validatePayloadPath, writeAtomically, type FileProjection } from './atomic-writer';

const files = (o: Record<string, string>, mode = 0o644) => new Map<string, FileProjection>(Object.entries(o).map(([k, v]) => [k, { data: Buffer.from(v), mode }]));

test('payload paths may not escape the volume', () => {
  assert.throws(() => validatePayloadPath('/etc/passwd'), /must be relative path/);
  assert.throws(() => validatePayloadPath('a/../../b'), /must not contain '\.\.'/);
  assert.throws(() => validatePayloadPath('..data'), /must not start with '\.\.'/);
  validatePayloadPath('a/b.txt');
});

test('files appear through ..data symlinks; an update swaps them all at once and cleans up', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'atomic-'));
  try {
    assert.equal(await writeAtomically(dir, files({ a: '1', 'sub/b': '2', gone: 'x' })), true);
    assert.equal(await readlink(join(dir, 'a')), '..data/a');
    assert.equal(await readlink(join(dir, 'sub')), '..data/sub');
    assert.equal(await readFile(join(dir, 'sub/b'), 'utf8'), '2');
    assert.equal((await stat(join(dir, 'a'))).mode & 0o777, 0o644);
    const first = await readlink(join(dir, '..data'));
    assert.match(first, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./);

    assert.equal(await writeAtomically(dir, files({ a: '1', 'sub/b': '2', gone: 'x' })), false, 'same payload: nothing written');
    assert.equal(await readlink(join(dir, '..data')), first);

    assert.equal(await writeAtomically(dir, files({ a: 'new', 'sub/b': '2', c: '3' }, 0o400)), true);
    const second = await readlink(join(dir, '..data'));
    assert.notEqual(second, first);
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'new');
    assert.equal((await stat(join(dir, 'c'))).mode & 0o777, 0o400);
    await assert.rejects(lstat(join(dir, 'gone')), { code: 'ENOENT' });
    assert.deepEqual((await readdir(dir)).sort(), ['..data', second, 'a', 'c', 'sub'].sort());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('concurrent writes to one dir are serialised', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'atomic-'));
  try {
    await Promise.all([1, 2, 3, 4].map((i) => writeAtomically(dir, files({ k: String(i) }))));
    assert.equal(await readFile(join(dir, 'k'), 'utf8'), '4');
    assert.equal((await readdir(dir)).filter((n) => n.startsWith('..2')).length, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
