// Writes tugboat's locally built images (from Debian's busybox-static) as archives, for tests, CI and `ctr run` benchmarks.
//
//   node dist/scripts/build-test-images.js [OUT_DIR] [--oci]
//
// OUT_DIR (default ./test-images) gets one archive per image (pause.tar, busybox.tar, busybox-nonroot.tar) and all.tar
// with the three together; import any of them with `tugboat image import FILE` or `ctr -n k8s.io images import FILE`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildImageArchive, busyboxImage, busyboxNonrootImage, pauseImage, TEST_IMAGES, type ArchiveFormat } from '../src/images/build';

function main(): void {
  const args = process.argv.slice(2);
  const format: ArchiveFormat = args.includes('--oci') ? 'oci' : 'docker';
  const outDir = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'test-images');
  fs.mkdirSync(outDir, { recursive: true });
  const files: [string, Buffer][] = [
    ['pause.tar', buildImageArchive([pauseImage], format)],
    ['busybox.tar', buildImageArchive([busyboxImage], format)],
    ['busybox-nonroot.tar', buildImageArchive([busyboxNonrootImage], format)],
    ['all.tar', buildImageArchive(TEST_IMAGES, format)],
  ];
  for (const [name, data] of files) {
    fs.writeFileSync(path.join(outDir, name), data);
    console.log(`${path.join(outDir, name)}  ${(data.length / 1e6).toFixed(2)} MB  (${format})`);
  }
}

main();
