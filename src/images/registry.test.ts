// Pulls through CRI from a local docker-registry into a containerd that has never seen the image; missing images and auth.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CriClient, CriError } from '../cri/client';
import { allowPlainHttpRegistry, startContainerd, type OwnContainerd } from '../kubelet/cri/containerd';
import { removeDataDir, runtimeSkipReason, startTestRuntime, type TestRuntime } from '../kubelet/cri/testing';
import { BUSYBOX_IMAGE } from './names';
import { localRegistryUnavailable, pushImage, startLocalRegistry, type LocalRegistry } from './registry';

const skip = runtimeSkipReason() ?? localRegistryUnavailable();
const hostIp = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('pulling from a local registry', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-registry-test-'));
  let source: TestRuntime; // has the locally built images and pushes them
  let fresh: OwnContainerd; // has no images at all: every pull really fetches
  let cri: CriClient;
  let open: LocalRegistry;
  let locked: LocalRegistry;
  before(async () => {
    [source, fresh, open, locked] = await Promise.all([
      startTestRuntime(),
      startContainerd({ dataDir: join(dir, 'fresh') }),
      startLocalRegistry(join(dir, 'open')),
      startLocalRegistry(join(dir, 'locked'), { auth: { username: 'puller', password: 's3cret' } }),
    ]);
    cri = CriClient.connect(fresh.endpoint);
  });
  after(async () => {
    cri?.close();
    await Promise.all([source?.cleanup(), fresh?.stop(), open?.stop(), locked?.stop()]);
    removeDataDir(join(dir, 'fresh')); // and its runtime state under /run
    rmSync(dir, { recursive: true, force: true });
  });

  it('pulls a pushed image over plain HTTP on loopback', async () => {
    const ref = `${open.host}/busybox:1`;
    await pushImage(source.runtime.endpoint, BUSYBOX_IMAGE, ref);
    assert.equal((await cri.imageStatus({ image: { image: ref } })).image, null);
    const { imageRef } = await cri.pullImage({ image: { image: ref } });
    const { image } = await cri.imageStatus({ image: { image: ref } });
    assert.equal(image?.id, imageRef);
    assert.ok(image?.repoTags.includes(ref));
    assert.ok(image?.repoDigests.some((d) => d.startsWith(`${open.host}/busybox@sha256:`)));
  });

  it('fails a pull of a missing image with NotFound-style text naming the image', async () => {
    const ref = `${open.host}/missing:1`;
    const err = await cri.pullImage({ image: { image: ref } }).then(
      () => assert.fail('pulled a missing image'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CriError);
    assert.match(err.message, new RegExp(`^rpc error: code = \\w+ desc = failed to pull and unpack image "${ref}": .*not found`));
  });

  it('needs credentials for a registry with auth, and pulls with them', async () => {
    const ref = `${locked.host}/private/busybox:1`;
    await pushImage(source.runtime.endpoint, BUSYBOX_IMAGE, ref, 'puller:s3cret');
    const denied = await cri.pullImage({ image: { image: ref } }).then(
      () => assert.fail('pulled without credentials'),
      (e: unknown) => e as Error,
    );
    assert.match(denied.message, /unauthorized|401/i);
    // containerd 1.6 parses serverAddress as a URL: a bare "host:port" is refused, so give the scheme (or leave it out).
    const auth = { username: 'puller', password: 's3cret', serverAddress: `http://${locked.host}` };
    const { imageRef } = await cri.pullImage({ image: { image: ref }, auth });
    assert.match(imageRef, /^sha256:/);
  });

  it('pulls over plain HTTP from a non-loopback registry only once its hosts.toml allows it', { skip: hostIp ? undefined : 'no non-loopback IPv4 address' }, async () => {
    const remote = await startLocalRegistry(join(dir, 'remote'), { ip: hostIp });
    try {
      const ref = `${remote.host}/busybox:2`;
      await pushImage(source.runtime.endpoint, BUSYBOX_IMAGE, ref);
      await assert.rejects(cri.pullImage({ image: { image: ref } }), /HTTP response to HTTPS client/);
      allowPlainHttpRegistry(fresh.registryHostsDir, remote.host);
      assert.match((await cri.pullImage({ image: { image: ref } })).imageRef, /^sha256:/);
    } finally {
      await remote.stop();
    }
  });
});
