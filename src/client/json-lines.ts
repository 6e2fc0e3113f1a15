// Watch streams arrive as one JSON event per line, split across chunks at any byte.
import type { Readable } from 'node:stream';

/** Calls `onLine` with each non-blank line of `stream` as it completes (UTF-8). */
export function onLines(stream: Readable, onLine: (line: string) => void): void {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim()) onLine(line);
    }
  });
}
