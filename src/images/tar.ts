// A small ustar (POSIX tar) writer: files, directories and symlinks, built in memory with fixed times so output is reproducible.

/** One archive member. */
export type TarEntry =
  | { type: 'file'; name: string; data: Buffer; mode?: number; uid?: number; gid?: number }
  | { type: 'dir'; name: string; mode?: number; uid?: number; gid?: number }
  | { type: 'symlink'; name: string; target: string; uid?: number; gid?: number };

const BLOCK = 512;

function writeString(buf: Buffer, off: number, len: number, s: string): void {
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length > len) throw new Error(`tar: "${s}" does not fit in ${len} bytes`);
  bytes.copy(buf, off);
}

// Numeric fields are zero-padded octal followed by a NUL.
function writeOctal(buf: Buffer, off: number, len: number, n: number): void {
  writeString(buf, off, len, n.toString(8).padStart(len - 1, '0') + '\0');
}

/** Splits a long path into ustar's prefix (≤155 bytes) and name (≤100 bytes) at a slash. */
function splitName(path: string): [prefix: string, name: string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name) return [prefix, name];
  }
  throw new Error(`tar: path too long for ustar: ${path}`);
}

/** The 512-byte ustar header of `e` whose data is `size` bytes. */
function header(e: TarEntry, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const name = e.type === 'dir' && !e.name.endsWith('/') ? `${e.name}/` : e.name;
  const [prefix, short] = splitName(name);
  const mode = e.type === 'symlink' ? 0o777 : (e.mode ?? (e.type === 'dir' ? 0o755 : 0o644));
  writeString(h, 0, 100, short);
  writeOctal(h, 100, 8, mode);
  writeOctal(h, 108, 8, e.uid ?? 0);
  writeOctal(h, 116, 8, e.gid ?? 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, mtime);
  h.write('        ', 148, 'latin1'); // the checksum counts its own field as spaces
  h.write(e.type === 'file' ? '0' : e.type === 'symlink' ? '2' : '5', 156, 'latin1');
  if (e.type === 'symlink') writeString(h, 157, 100, e.target);
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  writeString(h, 265, 32, (e.uid ?? 0) === 0 ? 'root' : '');
  writeString(h, 297, 32, (e.gid ?? 0) === 0 ? 'root' : '');
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** The tar archive of `entries`, in order, every member with modification time `mtime` (seconds). */
export function tarArchive(entries: TarEntry[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.type === 'file' ? e.data : Buffer.alloc(0);
    parts.push(header(e, data.length, mtime), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}
