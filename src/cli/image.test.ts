// `tugboat image`: table formatting, endpoint choice, and import + ls against a real containerd.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Image } from '../cri/types';
import { buildImageArchive } from '../images/build';
import { PAUSE_IMAGE } from '../images/names';
import { runtimeSkipReason, startTestRuntime, type TestRuntime } from '../kubelet/cri/testing';
import { parseArgs } from './args';
import { humanSize, imageEndpoint, imageTable } from './image';

const img = (id: string, repoTags: string[], size: number, repoDigests: string[] = []): Image => ({
  id: `sha256:${id}`,
  repoTags,
  repoDigests,
  size,
  uid: null,
  username: '',
  spec: null,
  pinned: false,
});

describe('humanSize', () => {
  it('uses decimal units with three significant digits', () => {
    assert.equal(humanSize(999), '999B');
    assert.equal(humanSize(2_130_766), '2.13MB');
    assert.equal(humanSize(45_000), '45kB');
    assert.equal(humanSize(1_500_000_000), '1.5GB');
  });
});

describe('imageTable', () => {
  it('lists one row per tag, sorted, with the short ID', () => {
    const table = imageTable([
      img('b'.repeat(64), ['tugboat.local/pause:1'], 2_130_766),
      img('a'.repeat(64), ['tugboat.local/busybox:1', 'x/busybox:latest'], 2_130_728),
      img('c'.repeat(64), [], 10, ['reg/untagged@sha256:cc']),
    ]);
    assert.equal(
      table,
      [
        'IMAGE                     ID              SIZE',
        'reg/untagged@sha256:cc    ccccccccccccc   10B',
        'tugboat.local/busybox:1   aaaaaaaaaaaaa   2.13MB',
        'tugboat.local/pause:1     bbbbbbbbbbbbb   2.13MB',
        'x/busybox:latest          aaaaaaaaaaaaa   2.13MB',
        '',
      ].join('\n'),
    );
  });
});

describe('imageEndpoint', () => {
  it('prefers --container-runtime-endpoint, else the data dir containerd', () => {
    assert.equal(imageEndpoint(parseArgs(['--container-runtime-endpoint', 'unix:///run/c.sock'])), '/run/c.sock');
    assert.equal(imageEndpoint(parseArgs(['--data-dir', '/d'])), '/d/containerd/containerd.sock');
    assert.equal(imageEndpoint(parseArgs([])), join(homedir(), '.tugboat', 'containerd', 'containerd.sock'));
  });
});

/** Runs `tugboat image …` through the compiled command module in a child process. */
function runImage(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `require(${JSON.stringify(join(__dirname, 'image.js'))}).image(process.argv.slice(1)).then(() => process.exit(0), (e) => { process.stderr.write('tugboat: ' + e.message + '\\n'); process.exit(1); })`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script, ...args], (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }));
  });
}

describe('tugboat image against containerd', { skip: runtimeSkipReason() }, () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startTestRuntime();
  });
  after(async () => {
    await rt?.cleanup();
  });

  it('imports an archive by data dir and lists it', async () => {
    const file = join(rt.dataDir, 'cli.tar');
    writeFileSync(file, buildImageArchive([{ name: 'tugboat.local/cli-test:1', config: { Cmd: ['sh'] } }]));
    const imported = await runImage(['import', file, '--data-dir', rt.dataDir]);
    assert.equal(imported.stderr, '');
    assert.equal(imported.stdout, 'imported tugboat.local/cli-test:1\n');
    const listed = await runImage(['ls', '--container-runtime-endpoint', rt.runtime.endpoint]);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trim().split('\n');
    assert.match(lines[0], /^IMAGE\s+ID\s+SIZE$/);
    assert.ok(lines.some((l) => /^tugboat\.local\/cli-test:1\s+[0-9a-f]{13}\s+2\.\d+MB$/.test(l)), listed.stdout);
    assert.ok(lines.some((l) => l.startsWith(`${PAUSE_IMAGE} `)), listed.stdout);
  });

  it('says what is wrong in one line', async () => {
    const missing = await runImage(['import', join(rt.dataDir, 'nope.tar'), '--data-dir', rt.dataDir]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^tugboat: no such file: .*nope\.tar\n$/);
    const noRuntime = await runImage(['ls', '--data-dir', join(rt.dataDir, 'elsewhere')]);
    assert.equal(noRuntime.code, 1);
    assert.match(noRuntime.stderr, /^tugboat: no container runtime at .*elsewhere\/containerd\/containerd\.sock .*\n$/);
  });
});
