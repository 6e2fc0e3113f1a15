// Adler-32 (RFC 1950): the checksum zlib uses to name a preset dictionary.

/** The Adler-32 checksum of `buf`. */
export function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < buf.length; i++) {
    a = (a + buf[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
