// Go's base64.StdEncoding decoding errors, for []byte fields (Secret.data): the offset upstream reports must match.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const isNewline = (b: number) => b === 0x0a || b === 0x0d;

/** Undefined when `s` decodes, else upstream's error: `illegal base64 data at input byte 4`. */
export function checkBase64(s: string): string | undefined {
  const offset = corruptOffset(Buffer.from(s, 'utf8'));
  return offset === undefined ? undefined : `illegal base64 data at input byte ${offset}`;
}

// A transcription of Go's decodeQuantum loop (padded, non-strict encoding): newlines are skipped anywhere,
// "=" may only pad the third or fourth position of the last quantum, and nothing may follow the padding.
function corruptOffset(src: Buffer): number | undefined {
  let si = 0;
  while (si < src.length) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return si - j;
      }
      const c = src[si++];
      if (c < 0x80 && ALPHABET.includes(String.fromCharCode(c))) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d || j < 2) return si - 1;
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return src.length;
        if (src[si] !== 0x3d) return si - 1;
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      return si < src.length ? si : undefined;
    }
  }
  return undefined;
}
