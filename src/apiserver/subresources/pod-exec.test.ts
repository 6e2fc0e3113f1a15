// Tests for exec/attach and port-forward query options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { remoteCommandOptions } from './pod-exec';
import { portForwardPorts } from './pod-portforward';

test('remoteCommandOptions reads kubectl queries; a TTY drops stderr as the kubelet does', () => {
  const q = new URLSearchParams('command=sh&command=-c&command=exit 3&container=c&stdin=true&stdout=true&stderr=true&tty=true');
  assert.deepEqual(remoteCommandOptions(q, false), { container: 'c', command: ['sh', '-c', 'exit 3'], streams: { stdin: true, stdout: true, stderr: false, tty: true } });
  assert.throws(() => remoteCommandOptions(new URLSearchParams('stdout=true'), false), { code: 400, message: 'you must specify at least 1 command' });
  assert.throws(() => remoteCommandOptions(new URLSearchParams('command=ls'), false), { message: 'you must specify at least 1 of stdin, stdout, stderr' });
  assert.deepEqual(remoteCommandOptions(new URLSearchParams('stdin=1&stdout=1'), true).command, []);
});

test('portForwardPorts takes repeated or comma-separated ports and refuses bad ones', () => {
  assert.deepEqual(portForwardPorts(new URLSearchParams('ports=80,443&ports=8080')), [80, 443, 8080]);
  assert.deepEqual(portForwardPorts(new URLSearchParams('')), []);
  assert.throws(() => portForwardPorts(new URLSearchParams('ports=0')), { code: 400 });
  assert.throws(() => portForwardPorts(new URLSearchParams('ports=http')), { code: 400 });
});
