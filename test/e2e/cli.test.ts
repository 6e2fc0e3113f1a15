// e2e: `tugboat up` as users run it — kubeconfig merge, clean shutdown, one-line errors, and the etcd store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { startEtcd, etcdUnavailableReason } from '../../src/store/etcd/testing-etcd';
import { startCluster } from '../support/cluster';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'tugboat.js');

function runUp(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, 'up', ...args], { encoding: 'utf8', timeout: 20000, env: { ...process.env, ...env } });
}

test('up merges a current "tugboat" context into the user kubeconfig and stops cleanly on SIGTERM', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tugboat-home-'));
  try {
    const kubeDir = join(home, '.kube');
    mkdirSync(kubeDir);
    const userConfig = join(kubeDir, 'config');
    // The merge path (no --no-merge), with KUBECONFIG pointing at the user's file.
    const dir = join(home, 'data');
    const proc = spawn(process.execPath, [BIN, 'up', '--data-dir', dir, '--port', '0', '--no-real-node'], { env: { ...process.env, KUBECONFIG: userConfig }, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (d) => {
        out += d;
        if (/ready in \d+ ms/.test(out)) resolve();
      });
      proc.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const cfg = YAML.parse(readFileSync(userConfig, 'utf8'));
    assert.equal(cfg['current-context'], 'tugboat');
    assert.ok(cfg.contexts.some((x: { name: string }) => x.name === 'tugboat'));
    const got = spawnSync('kubectl', ['get', 'ns', 'default', '-o', 'name'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: userConfig, HOME: home } });
    assert.equal(got.stdout.trim(), 'namespace/default', got.stderr);
    assert.ok(existsSync(join(dir, 'kubeconfig')));
    const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    assert.equal(await exit, 0);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a port in use is one readable line', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-port-'));
  try {
    const r = runUp(['--data-dir', dir, '--port', String(port), '--no-merge']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), `tugboat: port ${port} is already in use (another tugboat or API server?); pick another with --port`);
  } finally {
    blocker.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unwritable data dir is one readable line', { skip: process.getuid?.() === 0 ? 'root can write anywhere; checked with a file in the way instead' : false }, () => {
  const parent = mkdtempSync(join(tmpdir(), 'tugboat-ro-'));
  chmodSync(parent, 0o500);
  const r = runUp(['--data-dir', join(parent, 'x'), '--no-merge']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^tugboat: cannot use data dir .*EACCES/);
});

test('a data dir that is a file is one readable line', () => {
  const parent = mkdtempSync(join(tmpdir(), 'tugboat-file-'));
  const file = join(parent, 'f');
  writeFileSync(file, 'x');
  const r = runUp(['--data-dir', file, '--no-merge']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^tugboat: cannot use data dir .* \(pick another with --data-dir\)\n$/);
  rmSync(parent, { recursive: true, force: true });
});

test('an unreachable etcd is one readable line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-etcd-'));
  const r = runUp(['--data-dir', dir, '--no-merge', '--store', 'etcd://127.0.0.1:1']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^tugboat: etcd at 127.0.0.1:1 is unavailable/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  rmSync(dir, { recursive: true, force: true });
});

test('kubectl works against tugboat on a real etcd', { skip: etcdUnavailableReason() }, async () => {
  const etcd = await startEtcd();
  const c = await startCluster(['--store', `etcd://${etcd.endpoint}`]);
  try {
    c.k(['create', 'namespace', 'on-etcd']);
    c.k(['-n', 'on-etcd', 'apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n');
    assert.match(c.k(['-n', 'on-etcd', 'apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n'), /unchanged/);
    c.k(['-n', 'on-etcd', 'patch', 'cm', 'a', '-p', '{"data":{"k":"w"}}']);
    assert.equal(c.k(['-n', 'on-etcd', 'get', 'cm', 'a', '-o', 'jsonpath={.data.k}']), 'w');
    const stale = c.kubectl(['-n', 'on-etcd', 'replace', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '1' }, data: { k: 'x' } }));
    assert.match(stale.stderr, /the object has been modified/);
    c.k(['-n', 'on-etcd', 'delete', 'cm', 'a']);
    assert.notEqual(c.kubectl(['-n', 'on-etcd', 'get', 'cm', 'a']).code, 0);
  } finally {
    await c.stop();
    await etcd.stop();
  }
});

test('an unreadable --event-ttl is one readable line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tugboat-ttl-'));
  const r = runUp(['--data-dir', dir, '--no-merge', '--event-ttl', '2d']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'tugboat: --event-ttl must be a duration such as 1h or 30m, not "2d"\n');
  rmSync(dir, { recursive: true, force: true });
});

test('--event-ttl: kubectl sees an Event go once the TTL after its last update has passed', async () => {
  const c = await startCluster(['--event-ttl', '2s']);
  try {
    const event = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'short-lived' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Test', message: 'soon gone', type: 'Normal' };
    c.k(['create', '-f', '-'], JSON.stringify(event));
    assert.match(c.k(['get', 'events', '--field-selector', 'reason=Test']), /soon gone/);
    const deadline = Date.now() + 15_000;
    while (c.k(['get', 'events', '--field-selector', 'reason=Test', '-o', 'name']) !== '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.equal(c.k(['get', 'events', '--field-selector', 'reason=Test', '-o', 'name']), '');
  } finally {
    await c.stop();
  }
});
