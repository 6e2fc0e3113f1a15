// Tests for the CRI log parser, PodLogOptions validation, the log writer's filters, tail and container log status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import { StatusError } from '../../machinery/errors';
import { containerLogStatusError, LogWriter, parseCriLogLine, podLogOptions, sinceMillis, tailStart } from './pod-log-format';

test('parseCriLogLine reads full and partial lines of both streams', () => {
  assert.deepEqual(parseCriLogLine('2024-01-01T00:00:00.123456789Z stdout F hello world'), {
    time: '2024-01-01T00:00:00.123456789Z',
    stream: 'stdout',
    partial: false,
    content: 'hello world\n',
  });
  assert.deepEqual(parseCriLogLine('2024-01-01T00:00:00Z stderr P part '), { time: '2024-01-01T00:00:00Z', stream: 'stderr', partial: true, content: 'part ' });
  assert.equal(parseCriLogLine('2024-01-01T00:00:00Z stdout F ')?.content, '\n');
  assert.equal(parseCriLogLine('2024-01-01T00:00:00Z stdout F')?.content, '\n');
  assert.equal(parseCriLogLine('2024-01-01T00:00:00Z stdout F:x a')?.content, 'a\n');
  assert.equal(parseCriLogLine('garbage'), undefined);
  assert.equal(parseCriLogLine('2024-01-01T00:00:00Z other F x'), undefined);
  assert.equal(parseCriLogLine('2024-01-01T00:00:00Z stdout Q x'), undefined);
});

test('LogWriter joins partial lines, adds timestamps, filters by since and cuts at limitBytes', () => {
  const lines = ['2024-01-01T00:00:01Z stdout P ab', '2024-01-01T00:00:01Z stdout F cd', '2024-01-01T00:00:03Z stderr F ef'].map((l) => parseCriLogLine(l)!);
  const all = (w: LogWriter) => Buffer.concat(lines.map((l) => w.write(l))).toString();
  assert.equal(all(new LogWriter({ timestamps: false })), 'abcd\nef\n');
  assert.equal(all(new LogWriter({ timestamps: true })), '2024-01-01T00:00:01Z ab2024-01-01T00:00:01Z cd\n2024-01-01T00:00:03Z ef\n');
  assert.equal(all(new LogWriter({ timestamps: false, since: Date.parse('2024-01-01T00:00:02Z') })), 'ef\n');
  const w = new LogWriter({ timestamps: false, limitBytes: 5 });
  assert.equal(all(w), 'abcd\n');
  assert.equal(w.full, true);
  assert.equal(all(new LogWriter({ timestamps: false, limitBytes: 3 })), 'abc');
});

test('tailStart finds the start of the last n lines, with or without a final newline', () => {
  const b = Buffer.from('a\nb\nc\n');
  assert.equal(tailStart(b, 1), 4);
  assert.equal(tailStart(b, 2), 2);
  assert.equal(tailStart(b, 3), undefined);
  assert.equal(tailStart(b, 0), 6);
  assert.equal(tailStart(Buffer.from('a\nb'), 1), 2);
});

test('podLogOptions reads the query and refuses what upstream refuses', () => {
  const o = podLogOptions(new URLSearchParams('container=c&follow=true&tailLines=5&timestamps=true&limitBytes=10&sinceSeconds=60'), 'p');
  assert.deepEqual(o, { container: 'c', follow: true, previous: false, timestamps: true, tailLines: 5, sinceSeconds: 60, sinceTime: undefined, limitBytes: 10 });
  assert.equal(sinceMillis(o, 100_000), 40_000);
  assert.equal(sinceMillis(podLogOptions(new URLSearchParams('sinceTime=2024-01-01T00:00:00Z'), 'p'), 0), Date.parse('2024-01-01T00:00:00Z'));
  const bad = (qs: string) => {
    try {
      podLogOptions(new URLSearchParams(qs), 'p');
    } catch (e) {
      return e as StatusError;
    }
    assert.fail(`no error for ${qs}`);
  };
  assert.equal(bad('tailLines=-1').message, 'PodLogOptions "p" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
  assert.equal(bad('limitBytes=0').code, 422);
  assert.match(bad('sinceSeconds=1&sinceTime=2024-01-01T00:00:00Z').message, /at most one of `sinceTime` or `sinceSeconds` may be specified/);
  assert.equal(bad('tailLines=x').code, 400);
});

const pod = (status: Pod['status']): Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] }, status });

test('containerLogStatusError words each state as the kubelet does', () => {
  assert.equal(containerLogStatusError(pod({}), 'c', false), 'container "c" in pod "p" is not available');
  const running = { name: 'c', image: 'i', imageID: '', ready: true, restartCount: 0, containerID: 'containerd://a', state: { running: {} } };
  assert.equal(containerLogStatusError(pod({ containerStatuses: [running] }), 'c', false), undefined);
  assert.equal(containerLogStatusError(pod({ containerStatuses: [running] }), 'c', true), 'previous terminated container "c" in pod "p" not found');
  const restarted = { ...running, lastState: { terminated: { exitCode: 1, containerID: 'containerd://old' } } };
  assert.equal(containerLogStatusError(pod({ containerStatuses: [restarted] }), 'c', true), undefined);
  const waiting = { ...running, state: { waiting: { reason: 'ContainerCreating' } } };
  assert.equal(containerLogStatusError(pod({ containerStatuses: [waiting] }), 'c', false), 'container "c" in pod "p" is waiting to start: ContainerCreating');
  const pulling = { ...running, state: { waiting: { reason: 'ImagePullBackOff' } } };
  assert.equal(containerLogStatusError(pod({ containerStatuses: [pulling] }), 'c', false), 'container "c" in pod "p" is waiting to start: trying and failing to pull image');
  const done = { ...running, state: { terminated: { exitCode: 0, containerID: 'containerd://a' } } };
  assert.equal(containerLogStatusError(pod({ containerStatuses: [done] }), 'c', false), undefined);
});
