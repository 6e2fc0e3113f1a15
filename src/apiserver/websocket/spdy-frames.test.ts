// Tests for SPDY/3.1 framing and header blocks, checked against zlib's own inflater with the SPDY/3 dictionary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, inflateSync } from 'node:zlib';
import { adler32 } from './adler32';
import { SPDY3_DICTIONARY } from './spdy-dictionary';
import { dataFrames, FLAG_FIN, HeaderCompressor, headerBlock, parseHeaderBlock, payloadStreamId, PING, SpdyFrameParser, SYN_STREAM, synStreamFrame, wordsFrame } from './spdy-frames';

test('the SPDY/3 dictionary has the spec length and checksum', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(adler32(Buffer.from('Wikipedia')), 0x11e60398);
});

test('header blocks round-trip and every compressed block inflates on its own, continuing one zlib stream', () => {
  const c = new HeaderCompressor();
  const a = c.compress([['streamType', 'error']]);
  const b = c.compress([['streamtype', 'stdout'], ['port', '8080']]);
  const inflate = (buf: Buffer) => inflateSync(buf, { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
  assert.deepEqual(parseHeaderBlock(inflate(a)), [['streamtype', 'error']]);
  assert.deepEqual(parseHeaderBlock(inflate(Buffer.concat([a, b])).subarray(headerBlock([['streamtype', 'error']]).length)), [
    ['streamtype', 'stdout'],
    ['port', '8080'],
  ]);
  // Each block ends at a flush point (an empty stored block), so no inflater has to read into the next frame.
  for (const blk of [a, b]) assert.deepEqual([...blk.subarray(-5)], [0, 0, 0, 0xff, 0xff]);
});

test('the frame parser splits a byte stream arriving in pieces into data and control frames', () => {
  const bytes = Buffer.concat([synStreamFrame(1, Buffer.from('hdr')), dataFrames(1, Buffer.from('hello'), false), dataFrames(3, Buffer.alloc(0), true), wordsFrame(PING, 2)]);
  const p = new SpdyFrameParser();
  const frames = [...bytes].flatMap((byte) => p.push(Buffer.from([byte])));
  assert.equal(frames.length, 4);
  const [syn, data, fin, ping] = frames;
  assert.ok(syn.control && syn.type === SYN_STREAM && payloadStreamId(syn.payload) === 1);
  assert.deepEqual(syn.control && syn.payload.subarray(10).toString(), 'hdr');
  assert.ok(!data.control && data.streamId === 1 && data.data.toString() === 'hello' && data.flags === 0);
  assert.ok(!fin.control && fin.streamId === 3 && fin.flags === FLAG_FIN && fin.data.length === 0);
  assert.ok(ping.control && ping.type === PING && ping.payload.readUInt32BE(0) === 2);
  // Version 3 with the control bit set, as spdystream checks.
  assert.deepEqual([...bytes.subarray(0, 4)], [0x80, 0x03, 0x00, 0x01]);
});
