// Imports image archives into containerd's Kubernetes namespace with ctr, and makes sure the locally built images are there.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CriClient } from '../cri/client';
import { buildImageArchive, TEST_IMAGES } from './build';

/** The containerd namespace the CRI plugin keeps Kubernetes images and containers in. */
export const K8S_NAMESPACE = 'k8s.io';

/** Runs `ctr -a <socket> -n k8s.io <args>`; rejects with ctr's own error line. */
export function ctr(endpoint: string, args: string[], timeoutMs = 120_000): Promise<string> {
  const socket = endpoint.replace(/^unix:(\/\/)?/, '');
  return new Promise((resolve, reject) => {
    execFile('ctr', ['-a', socket, '-n', K8S_NAMESPACE, ...args], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('ctr is not installed (it comes with containerd)'));
      const line = stderr.trim().split('\n').pop() || err.message;
      reject(new Error(`ctr ${args[0]} ${args[1] ?? ''}: ${line.replace(/^ctr: /, '')}`.replace(/ +:/, ':')));
    });
  });
}

/** Image names imported from a `ctr images import` output ("unpacking NAME (sha256:…)...done" lines). */
export function importedNames(ctrOutput: string): string[] {
  return [...ctrOutput.matchAll(/^unpacking (\S+) \(sha256:[0-9a-f]+\)/gm)].map((m) => m[1]);
}

/** Imports a docker-save or OCI-layout archive into containerd's k8s.io namespace; returns the image names it held. */
export async function importImage(endpoint: string, tarPath: string): Promise<string[]> {
  return importedNames(await ctr(endpoint, ['images', 'import', tarPath]));
}

/** Imports the pause, busybox and busybox-nonroot images (built from the host's busybox) unless CRI already has them all. */
export async function ensureTestImages(endpoint: string): Promise<string[]> {
  const cri = CriClient.connect(endpoint);
  try {
    const status = await Promise.all(TEST_IMAGES.map((i) => cri.imageStatus({ image: { image: i.name } })));
    if (status.every((s) => s.image)) return [];
  } finally {
    cri.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-images-'));
  try {
    const file = join(dir, 'images.tar');
    writeFileSync(file, buildImageArchive());
    return await importImage(endpoint, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
