// `tugboat image import|ls`: the real node's images in containerd's k8s.io namespace (ctr for import, CRI for listing).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CriClient } from '../cri/client';
import type { Image } from '../cri/types';
import { importImage } from '../images/import';
import { Args, checkFlags, flag, parseArgs } from './args';
import { CliError } from './errors';

/** Usage of `tugboat image`, for the command list. */
export const IMAGE_USAGE = `  image     Manage the real node's images (containerd at DATA_DIR/containerd, or --container-runtime-endpoint SOCK)
            import FILE.tar [--data-dir DIR]   import a docker-save or OCI-layout archive
            ls [--data-dir DIR]                list images
`;

const FLAGS = ['data-dir', 'container-runtime-endpoint'];

/** The CRI socket the command talks to: --container-runtime-endpoint, else tugboat's own containerd in the data dir. */
export function imageEndpoint(args: Args): string {
  const given = flag(args, 'container-runtime-endpoint', '');
  if (given) return given.replace(/^unix:(\/\/)?/, '');
  const dataDir = flag(args, 'data-dir', join(homedir(), '.tugboat')).replace(/^~(?=$|\/)/, homedir());
  return join(resolve(dataDir), 'containerd', 'containerd.sock');
}

function requireSocket(endpoint: string): void {
  if (!existsSync(endpoint)) {
    throw new CliError(`no container runtime at ${endpoint} (start a cluster with a real node with \`tugboat up\` as root, or pass --data-dir or --container-runtime-endpoint)`);
  }
}

/** Sizes as crictl prints them: decimal units, three significant digits. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

/** The `image ls` table: one row per tag (or digest, or <none>), sorted by name; ID is the short config digest. */
export function imageTable(images: Image[]): string {
  const rows = images
    .flatMap((img) => {
      const names = img.repoTags.length ? img.repoTags : img.repoDigests.length ? img.repoDigests : ['<none>'];
      return names.map((n) => [n, img.id.replace(/^sha256:/, '').slice(0, 13), humanSize(img.size)]);
    })
    .sort((a, b) => a[0].localeCompare(b[0]));
  const all = [['IMAGE', 'ID', 'SIZE'], ...rows];
  const widths = [0, 1].map((c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => `${r[0].padEnd(widths[0])}   ${r[1].padEnd(widths[1])}   ${r[2]}`).join('\n') + '\n';
}

async function importCmd(args: Args): Promise<void> {
  const [file, extra] = args.positionals;
  if (!file || extra !== undefined) throw new CliError('usage: tugboat image import FILE.tar');
  if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
  const endpoint = imageEndpoint(args);
  requireSocket(endpoint);
  let names: string[];
  try {
    names = await importImage(endpoint, resolve(file));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  for (const n of names) process.stdout.write(`imported ${n}\n`);
  if (!names.length) process.stdout.write(`imported ${file} (no image names in it)\n`);
}

async function ls(args: Args): Promise<void> {
  if (args.positionals.length) throw new CliError('usage: tugboat image ls');
  const endpoint = imageEndpoint(args);
  requireSocket(endpoint);
  const cri = CriClient.connect(endpoint, { timeoutMs: 10_000 });
  try {
    process.stdout.write(imageTable((await cri.listImages()).images));
  } catch (e) {
    throw new CliError(`cannot list images at ${endpoint}: ${(e as Error).message}`);
  } finally {
    cri.close();
  }
}

/** Runs `tugboat image <verb> …`. */
export async function image(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  const args = parseArgs(rest);
  checkFlags(args, FLAGS);
  switch (verb) {
    case 'import':
      return importCmd(args);
    case 'ls':
    case 'list':
      return ls(args);
    default:
      throw new CliError(verb ? `unknown image command "${verb}"; use import or ls` : 'usage: tugboat image import FILE.tar | tugboat image ls');
  }
}
