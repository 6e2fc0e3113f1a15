// Tests for base64 checking: the offsets Go's StdEncoding reports for corrupt input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBase64 } from './base64';

test('reports the byte offset Go reports', () => {
  // input → offset of the CorruptInputError, or -1 when it decodes (cases from Go's encoding/base64 tests).
  const cases: [string, number][] = [
    ['', -1], ['\n', -1], ['AAA=\n', -1], ['AAAA\n', -1], ['!!!!', 0], ['====', 0], ['x===', 1], ['=AAA', 0],
    ['A=AA', 1], ['AA=A', 2], ['AA==A', 4], ['AAA=AAAA', 4], ['AAAAA', 4], ['AAAAAA', 4], ['A=', 1], ['A==', 1],
    ['AA=', 3], ['AA==', -1], ['AAA=', -1], ['AAAA', -1], ['AAAAAA=', 7], ['YWJjZA=====', 8], ['A!\n', 1], ['A=\n', 1],
  ];
  for (const [input, offset] of cases) {
    assert.equal(checkBase64(input), offset < 0 ? undefined : `illegal base64 data at input byte ${offset}`, JSON.stringify(input));
  }
});
