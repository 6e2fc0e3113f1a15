// Builds tugboat's test images from the host's static busybox, and its pause image, as docker-save or OCI-layout archives.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BUSYBOX_IMAGE, BUSYBOX_NONROOT_IMAGE, PAUSE_IMAGE } from './names';
import { pauseExecutable } from './pause-elf';
import { tarArchive, type TarEntry } from './tar';

/** Where Debian's busybox-static installs its binary. */
export const BUSYBOX_PATH = '/bin/busybox';

/** The runtime part of an image config (OCI "config" object). */
export interface ImageRunConfig {
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  User?: string;
  WorkingDir?: string;
}

/** One image to put in an archive: its name, run config and single root filesystem layer. */
export interface ImageDef {
  name: string;
  config: ImageRunConfig;
  /** busybox's root filesystem (the default), or the pause executable alone (pause-elf.ts). */
  rootfs?: 'busybox' | 'pause';
}

/** An archive format ctr/containerd can import. */
export type ArchiveFormat = 'docker' | 'oci';

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
// Fixed timestamps keep the digests stable, so importing a rebuilt archive again changes nothing.
const CREATED = '2024-01-01T00:00:00Z';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The OCI architecture name of this machine. */
export function ociArch(arch: string = process.arch): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[arch] ?? arch;
}

/** The applet paths busybox installs itself under ("bin/sh", "usr/bin/wget", …), from `busybox --list-full`. */
export function busyboxApplets(busybox = BUSYBOX_PATH): string[] {
  const out = execFileSync(busybox, ['--list-full'], { encoding: 'utf8' });
  return out.split('\n').map((l) => l.trim().replace(/^\/+/, '')).filter((l) => l && l !== 'bin/busybox');
}

/** The root filesystem layer: busybox, its applet symlinks, /etc/passwd and /etc/group (root, nobody), and empty system dirs. */
export function busyboxLayer(busybox = BUSYBOX_PATH): Buffer {
  const applets = busyboxApplets(busybox);
  const dirs = new Set(['bin', 'etc', 'root', 'tmp', 'var', 'home', 'proc', 'sys', 'dev', 'usr', 'usr/bin', 'usr/sbin', 'sbin']);
  for (const a of applets) {
    const parts = a.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const entries: TarEntry[] = [...dirs].sort().map((d) => ({
    type: 'dir' as const,
    name: d,
    mode: d === 'tmp' ? 0o1777 : d === 'root' ? 0o700 : 0o755,
  }));
  entries.push({ type: 'file', name: 'bin/busybox', data: readFileSync(busybox), mode: 0o755 });
  for (const a of applets.sort()) entries.push({ type: 'symlink', name: a, target: '/bin/busybox' });
  entries.push(
    { type: 'file', name: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n') },
    { type: 'file', name: 'etc/group', data: Buffer.from('root:x:0:\nnobody:x:65534:\n') },
  );
  return tarArchive(entries);
}

/** The busybox image: a shell by default. */
export const busyboxImage: ImageDef = { name: BUSYBOX_IMAGE, config: { Cmd: ['sh'], Env: [PATH_ENV] } };

/** The busybox image running as nobody (65534). */
export const busyboxNonrootImage: ImageDef = { name: BUSYBOX_NONROOT_IMAGE, config: { Cmd: ['sh'], Env: [PATH_ENV], User: '65534' } };

/** The pause executable's layer: /pause and nothing else. */
export function pauseLayer(pause: Buffer): Buffer {
  return tarArchive([{ type: 'file', name: 'pause', data: pause, mode: 0o755 }]);
}

/**
 * The sandbox image: holds the pod's namespaces and, as PID 1 of a pod sharing its process namespace, reaps orphans
 * (pause-elf.ts). Where there is no pause executable for the architecture, busybox sleeps instead (and reaps nothing).
 */
export const pauseImage: ImageDef = pauseExecutable()
  ? { name: PAUSE_IMAGE, config: { Entrypoint: ['/pause'] }, rootfs: 'pause' }
  : { name: PAUSE_IMAGE, config: { Entrypoint: ['/bin/busybox', 'sleep', '2147483647'], Env: [PATH_ENV] } };

/** The images `ensureTestImages` provides. */
export const TEST_IMAGES: ImageDef[] = [pauseImage, busyboxImage, busyboxNonrootImage];

function imageConfig(def: ImageDef, diffId: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: ociArch(),
      os: 'linux',
      created: CREATED,
      config: def.config,
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created: CREATED, created_by: def.rootfs === 'pause' ? 'tugboat: pause executable' : 'tugboat: busybox-static root filesystem' }],
    }),
  );
}

/** An image and its layer. */
interface BuiltImage {
  def: ImageDef;
  layer: Buffer;
}

/** A docker-save archive (manifest.json, <config>.json, <layer>/layer.tar) of `images`; a layer they share is stored once. */
function dockerArchive(images: BuiltImage[]): Buffer {
  const entries: TarEntry[] = [];
  const manifest = [];
  for (const { def, layer } of images) {
    const layerId = sha256(layer);
    if (!entries.some((e) => e.name === layerId)) {
      entries.push(
        { type: 'dir', name: layerId },
        { type: 'file', name: `${layerId}/layer.tar`, data: layer },
        { type: 'file', name: `${layerId}/VERSION`, data: Buffer.from('1.0') },
      );
    }
    const config = imageConfig(def, `sha256:${layerId}`);
    const configName = `${sha256(config)}.json`;
    entries.push({ type: 'file', name: configName, data: config });
    manifest.push({ Config: configName, RepoTags: [def.name], Layers: [`${layerId}/layer.tar`] });
  }
  entries.push({ type: 'file', name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) });
  return tarArchive(entries);
}

/** An OCI image-layout archive (oci-layout, index.json, blobs/sha256/…) of `images`, each named by annotation. */
function ociArchive(images: BuiltImage[]): Buffer {
  const blobs = new Map<string, Buffer>();
  const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] as object[] };
  for (const { def, layer } of images) {
    const layerDigest = sha256(layer);
    blobs.set(layerDigest, layer);
    const config = imageConfig(def, `sha256:${layerDigest}`);
    blobs.set(sha256(config), config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha256(config)}`, size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${layerDigest}`, size: layer.length }],
      }),
    );
    blobs.set(sha256(manifest), manifest);
    index.manifests.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${sha256(manifest)}`,
      size: manifest.length,
      platform: { architecture: ociArch(), os: 'linux' },
      annotations: { 'io.containerd.image.name': def.name, 'org.opencontainers.image.ref.name': def.name.split(':').pop() },
    });
  }
  const entries: TarEntry[] = [
    { type: 'file', name: 'oci-layout', data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    { type: 'file', name: 'index.json', data: Buffer.from(JSON.stringify(index)) },
    { type: 'dir', name: 'blobs' },
    { type: 'dir', name: 'blobs/sha256' },
  ];
  for (const [digest, data] of blobs) entries.push({ type: 'file', name: `blobs/sha256/${digest}`, data });
  return tarArchive(entries);
}

/** An importable archive of `images` (default: pause, busybox and busybox-nonroot) built from the host's busybox. */
export function buildImageArchive(images: ImageDef[] = TEST_IMAGES, format: ArchiveFormat = 'docker', busybox = BUSYBOX_PATH): Buffer {
  let busyboxFs: Buffer | undefined;
  const built = images.map((def) => ({
    def,
    layer: def.rootfs === 'pause' ? pauseLayer(pauseExecutable()!) : (busyboxFs ??= busyboxLayer(busybox)),
  }));
  return format === 'oci' ? ociArchive(built) : dockerArchive(built);
}

/** A docker-save archive of the busybox image (tugboat.local/busybox:1). */
export function buildBusyboxImage(format: ArchiveFormat = 'docker'): Buffer {
  return buildImageArchive([busyboxImage], format);
}

/** A docker-save archive of the sandbox image (PAUSE_IMAGE). */
export function buildPauseImage(format: ArchiveFormat = 'docker'): Buffer {
  return buildImageArchive([pauseImage], format);
}
