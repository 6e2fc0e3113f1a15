// The busybox-based images as docker-save and OCI-layout archives: structure, digests and root filesystem.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUSYBOX_PATH, buildImageArchive, buildPauseImage, ociArch, TEST_IMAGES } from './build';
import { BUSYBOX_IMAGE, BUSYBOX_NONROOT_IMAGE, PAUSE_IMAGE } from './names';
import { pauseExecutable } from './pause-elf';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const work = mkdtempSync(join(tmpdir(), 'tugboat-build-'));
after(() => rmSync(work, { recursive: true, force: true }));

function extract(archive: Buffer, name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(`${dir}.tar`, archive);
  execFileSync('tar', ['-xf', `${dir}.tar`, '-C', dir]);
  return dir;
}

const skip = existsSync(BUSYBOX_PATH) ? undefined : `needs ${BUSYBOX_PATH} (Debian busybox-static)`;

describe('ociArch', () => {
  it('maps node arch names to OCI ones', () => {
    assert.equal(ociArch('x64'), 'amd64');
    assert.equal(ociArch('arm64'), 'arm64');
  });
});

describe('image archives', { skip }, () => {
  it('docker-save: a config per image, tags in manifest.json; the busybox images share a layer, pause has its own', () => {
    const dir = extract(buildImageArchive(), 'docker');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Config: string; RepoTags: string[]; Layers: string[] }[];
    assert.deepEqual(manifest.map((m) => m.RepoTags), [[PAUSE_IMAGE], [BUSYBOX_IMAGE], [BUSYBOX_NONROOT_IMAGE]]);
    assert.ok(manifest.every((m) => m.Layers.length === 1));
    assert.equal(manifest[2].Layers[0], manifest[1].Layers[0]);
    for (const m of manifest) {
      const raw = readFileSync(join(dir, m.Config));
      assert.equal(m.Config, `${sha256(raw)}.json`);
      const config = JSON.parse(raw.toString());
      assert.deepEqual(config.rootfs.diff_ids, [`sha256:${sha256(readFileSync(join(dir, m.Layers[0])))}`]);
      assert.equal(config.os, 'linux');
      assert.equal(config.architecture, ociArch());
    }
    const configs = manifest.map((m) => JSON.parse(readFileSync(join(dir, m.Config), 'utf8')).config);
    assert.deepEqual(configs[1].Cmd, ['sh']);
    assert.match(configs[1].Env[0], /^PATH=.*\/bin/);
    assert.equal(configs[2].User, '65534');
    const pause = pauseExecutable();
    if (pause) {
      assert.deepEqual(configs[0].Entrypoint, ['/pause']);
      const pauseRoot = extract(readFileSync(join(dir, manifest[0].Layers[0])), 'pause-rootfs');
      assert.deepEqual(readdirSync(pauseRoot), ['pause']);
      assert.deepEqual(readFileSync(join(pauseRoot, 'pause')), pause);
      assert.equal(statSync(join(pauseRoot, 'pause')).mode & 0o777, 0o755);
    } else {
      assert.equal(configs[0].Entrypoint[0], '/bin/busybox');
    }
    const layer = readFileSync(join(dir, manifest[1].Layers[0]));

    const root = extract(layer, 'rootfs');
    assert.deepEqual(readFileSync(join(root, 'bin/busybox')), readFileSync(BUSYBOX_PATH));
    const where = (a: string) => ['bin', 'sbin', 'usr/bin', 'usr/sbin'].map((d) => join(root, d, a)).find((p) => existsSync(p));
    for (const applet of ['sh', 'cat', 'echo', 'sleep', 'ls', 'mkdir', 'id', 'hostname', 'nc', 'tar', 'httpd', 'wget', 'env']) {
      const path = where(applet);
      assert.ok(path, `${applet} is installed`);
      assert.equal(readlinkSync(path), '/bin/busybox', applet);
    }
    assert.match(readFileSync(join(root, 'etc/passwd'), 'utf8'), /^nobody:x:65534:65534:/m);
    assert.match(readFileSync(join(root, 'etc/group'), 'utf8'), /^nobody:x:65534:$/m);
  });

  it('is reproducible, so re-importing a rebuilt archive is a no-op', () => {
    assert.deepEqual(sha256(buildPauseImage()), sha256(buildPauseImage()));
  });

  it('OCI layout: index names each image, blobs are content-addressed', () => {
    const dir = extract(buildImageArchive(TEST_IMAGES, 'oci'), 'oci');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'oci-layout'), 'utf8')), { imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    assert.deepEqual(
      index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations['io.containerd.image.name']),
      [PAUSE_IMAGE, BUSYBOX_IMAGE, BUSYBOX_NONROOT_IMAGE],
    );
    const blob = (digest: string) => {
      const data = readFileSync(join(dir, 'blobs', 'sha256', digest.replace(/^sha256:/, '')));
      assert.equal(`sha256:${sha256(data)}`, digest);
      return data;
    };
    for (const desc of index.manifests) {
      const manifest = JSON.parse(blob(desc.digest).toString());
      assert.equal(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
      const config = JSON.parse(blob(manifest.config.digest).toString());
      assert.deepEqual(config.rootfs.diff_ids, [manifest.layers[0].digest]);
      blob(manifest.layers[0].digest);
    }
  });
});
