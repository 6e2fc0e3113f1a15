import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { onLines } from './json-lines';

test('lines split across chunks, even inside a multi-byte character, arrive whole; blank lines are skipped', () => {
  const s = new PassThrough();
  const lines: string[] = [];
  onLines(s, (l) => lines.push(l));
  const text = Buffer.from('{"a":1}\n\n{"b":"é"}\n{"c"');
  s.write(text.subarray(0, 3));
  s.write(text.subarray(3, 16)); // ends inside "é"
  s.write(text.subarray(16));
  s.write(':3}\n');
  assert.deepEqual(lines, ['{"a":1}', '{"b":"é"}', '{"c":3}']);
});
