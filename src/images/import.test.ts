// Importing docker-save and OCI-layout archives into a real containerd and running what was imported.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runtimeSkipReason, startTestRuntime, type TestRuntime } from '../kubelet/cri/testing';
import { buildImageArchive, type ImageDef } from './build';
import { ensureTestImages, importedNames, importImage } from './import';

describe('importedNames', () => {
  it('reads the image names from ctr import output', () => {
    const out = 'unpacking tugboat.local/pause:1 (sha256:ab12)...done\nunpacking docker.io/library/x:2 (sha256:cd34)...done\n';
    assert.deepEqual(importedNames(out), ['tugboat.local/pause:1', 'docker.io/library/x:2']);
  });
});

describe('importImage', { skip: runtimeSkipReason() }, () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startTestRuntime();
  });
  after(async () => {
    await rt?.cleanup();
  });

  it('ensureTestImages is a no-op once the images are there', async () => {
    assert.deepEqual(await ensureTestImages(rt.runtime.endpoint), []);
  });

  for (const format of ['docker', 'oci'] as const) {
    it(`imports a ${format} archive and runs a container from it`, async () => {
      const def: ImageDef = { name: `tugboat.local/import-${format}:1`, config: { Cmd: ['sh', '-c', `echo from ${format}`] } };
      const file = join(rt.dataDir, `${format}.tar`);
      writeFileSync(file, buildImageArchive([def], format));
      assert.deepEqual(await importImage(rt.runtime.endpoint, file), [def.name]);
      const { image } = await rt.cri.imageStatus({ image: { image: def.name } });
      assert.ok(image?.repoTags.includes(def.name));

      const logDirectory = join(rt.dataDir, 'logs', format);
      mkdirSync(logDirectory, { recursive: true });
      const sandboxConfig = { metadata: { name: format, namespace: 'default', uid: format }, logDirectory };
      const { podSandboxId } = await rt.cri.runPodSandbox({ config: sandboxConfig });
      const { containerId } = await rt.cri.createContainer({
        podSandboxId,
        sandboxConfig,
        config: { metadata: { name: 'c' }, image: { image: def.name }, logPath: 'c.log' },
      });
      await rt.cri.startContainer({ containerId });
      const deadline = Date.now() + 10_000;
      let st = (await rt.cri.containerStatus({ containerId })).status!;
      while (st.state !== 'CONTAINER_EXITED' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        st = (await rt.cri.containerStatus({ containerId })).status!;
      }
      assert.equal(st.exitCode, 0);
      assert.match(readFileSync(join(logDirectory, 'c.log'), 'utf8'), new RegExp(` stdout F from ${format}\n$`));
      await rt.cri.stopPodSandbox({ podSandboxId });
      await rt.cri.removePodSandbox({ podSandboxId });
    });
  }

  it('rejects a file that is no image archive with ctr`s reason', async () => {
    const file = join(rt.dataDir, 'junk.tar');
    writeFileSync(file, 'not a tar');
    await assert.rejects(importImage(rt.runtime.endpoint, file), (e: Error) => /^ctr images import: \S/.test(e.message));
  });
});
