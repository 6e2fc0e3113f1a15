// Writes a volume's files so running containers see all of an update or none of it: the ..data symlink swap of upstream's AtomicWriter.
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';

/** One file of a volume's payload: its bytes and mode. */
export interface FileProjection {
  data: Buffer;
  mode: number;
}

const DATA_DIR = '..data';
const DATA_TMP = '..data_tmp';

/** Throws for payload paths that could escape the volume (absolute, with '..' elements, or starting with '..'). */
export function validatePayloadPath(p: string): void {
  if (!p) throw new Error('invalid path: must not be empty');
  if (p.startsWith('/')) throw new Error(`invalid path: must be relative path: ${p}`);
  if (p.split('/').includes('..')) throw new Error(`invalid path: must not contain '..': ${p}`);
  if (p.startsWith('..')) throw new Error(`invalid path: must not start with '..': ${p}`);
}

// upstream names timestamped dirs "..2006_01_02_15_04_05." plus a random suffix.
function tsPrefix(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.`;
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

// Every regular file under dir, as relative paths.
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}

async function sameContent(tsDir: string, payload: ReadonlyMap<string, FileProjection>): Promise<boolean> {
  const files = await listFiles(tsDir);
  if (files.length !== payload.size) return false;
  for (const f of files) {
    const want = payload.get(f);
    if (!want) return false;
    const [data, st] = await Promise.all([readFile(join(tsDir, f)), stat(join(tsDir, f))]);
    if ((st.mode & 0o7777) !== want.mode || !data.equals(want.data)) return false;
  }
  return true;
}

const locks = new Map<string, Promise<unknown>>();

/** Options of one write. */
export interface WriteOptions {
  /** The pod's fsGroup: files and directories are chowned to it. */
  fsGroup?: number;
}

/**
 * Makes targetDir hold exactly `payload`: files go into a new timestamped dir, `..data` is swapped to it in one rename,
 * and each top-level name is a symlink through `..data`. Returns whether anything changed; writes to one dir are serialised.
 */
export function writeAtomically(targetDir: string, payload: ReadonlyMap<string, FileProjection>, opts: WriteOptions = {}): Promise<boolean> {
  const prev = locks.get(targetDir) ?? Promise.resolve();
  const run = prev.catch(() => undefined).then(() => write(targetDir, payload, opts));
  locks.set(targetDir, run);
  void run.finally(() => {
    if (locks.get(targetDir) === run) locks.delete(targetDir);
  }).catch(() => undefined);
  return run;
}

async function write(targetDir: string, payload: ReadonlyMap<string, FileProjection>, opts: WriteOptions): Promise<boolean> {
  const clean = new Map<string, FileProjection>();
  for (const [p, f] of payload) {
    validatePayloadPath(p);
    clean.set(posix.normalize(p), f);
  }
  await mkdir(targetDir, { recursive: true });
  const dataLink = join(targetDir, DATA_DIR);
  const oldTs = await readlink(dataLink).catch(() => undefined);
  const changed = !oldTs || !(await sameContent(join(targetDir, oldTs), clean));
  if (changed) {
    const tsDir = await mkdtemp(join(targetDir, tsPrefix(new Date())));
    await chmod(tsDir, 0o755);
    for (const [p, f] of clean) {
      const file = join(tsDir, p);
      await mkdir(dirname(file), { recursive: true, mode: 0o755 });
      await writeFile(file, f.data);
      await chmod(file, f.mode);
      if (opts.fsGroup !== undefined) await chown(file, -1, opts.fsGroup);
    }
    if (opts.fsGroup !== undefined) await chown(tsDir, -1, opts.fsGroup);
    const tmpLink = join(targetDir, DATA_TMP);
    await rm(tmpLink, { force: true });
    await symlink(posix.basename(tsDir), tmpLink);
    await rename(tmpLink, dataLink);
    if (oldTs) await rm(join(targetDir, oldTs), { recursive: true, force: true });
  }
  // User-visible names: one symlink per top-level element, through ..data so the swap updates them all at once.
  const top = new Set([...clean.keys()].map((p) => p.split('/')[0]));
  for (const name of top) {
    const link = join(targetDir, name);
    if (!(await exists(link))) await symlink(posix.join(DATA_DIR, name), link);
  }
  for (const name of await readdir(targetDir)) {
    if (name.startsWith('..') || top.has(name)) continue;
    const link = join(targetDir, name);
    if ((await lstat(link)).isSymbolicLink() && (await readlink(link)).startsWith(`${DATA_DIR}/`)) await unlink(link);
  }
  return changed;
}
