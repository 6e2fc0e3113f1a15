// Tests for the channel protocol translation of exec/attach: message parsing, and which SPDY streams a session opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channelMessage, parseChannelMessage, spdyStreamTypes } from './remotecommand';

test('v5 messages carry data per channel and a CLOSE signal on 255; v4 has no CLOSE', () => {
  assert.deepEqual(parseChannelMessage(Buffer.from([0, 104, 105]), true), { kind: 'data', channel: 0, data: Buffer.from('hi') });
  assert.deepEqual(parseChannelMessage(Buffer.from([255, 0]), true), { kind: 'close', channel: 0 });
  assert.deepEqual(parseChannelMessage(Buffer.from([255, 0]), false), { kind: 'data', channel: 255, data: Buffer.from([0]) });
  assert.equal(parseChannelMessage(Buffer.alloc(0), true), undefined);
  assert.deepEqual(channelMessage(3, Buffer.from('{}')), Buffer.from([3, 123, 125]));
});

test('the SPDY streams follow client-go: error first, resize only with a TTY', () => {
  assert.deepEqual(spdyStreamTypes({ stdin: true, stdout: true, stderr: true, tty: false }), ['error', 'stdin', 'stdout', 'stderr']);
  assert.deepEqual(spdyStreamTypes({ stdin: true, stdout: true, stderr: false, tty: true }), ['error', 'stdin', 'stdout', 'resize']);
  assert.deepEqual(spdyStreamTypes({ stdin: false, stdout: true, stderr: false, tty: false }), ['error', 'stdout']);
});
