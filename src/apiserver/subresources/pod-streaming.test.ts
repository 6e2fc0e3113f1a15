// The pod streaming subresources end to end with the real kubectl: an HTTPS API server in this process, a fake kubelet
// whose runtime streaming server is a SPDY test double, and kubectl's WebSocket and SPDY paths for exec and port-forward.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import { builtinResources } from '../../api/kinds';
import { openapiDocuments, schemaLookup } from '../../api/openapi';
import { ensurePki } from '../../cli/pki';
import { buildKubeconfig, writeKubeconfig } from '../../cli/kubeconfig';
import { R } from '../../client/types';
import type { Client } from '../../client/types';
import { NodeStreamingRegistry, type KubeletStreaming } from '../../kubelet/streaming';
import { MemoryStore } from '../../store/memory/memory-store';
import { realClock } from '../../util/clock';
import { createFieldManager } from '../apply';
import { bootstrapCluster } from '../bootstrap';
import { schemaCodec } from '../codec';
import { createApiServer, type ApiServer } from '../server';
import { TEST_TOKEN_KEYS } from '../testing';
import { startFakeStreamingServer, type FakeStreamingServer } from '../websocket/fake-streaming-server';
import { podStreamingSubresources } from './pod-streaming';

let dir: string;
let api: ApiServer;
let store: MemoryStore;
let client: Client;
let kubeconfig: string;
let fake: FakeStreamingServer;
let echo: Server;
const echoSockets = new Set<import('node:net').Socket>();
const logFile = () => join(dir, 'c.log');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tugboat-streaming-'));
  const pki = ensurePki(join(dir, 'pki'));
  store = new MemoryStore();
  const resources = builtinResources();
  const lookup = schemaLookup();
  api = await createApiServer({
    store,
    resources,
    clock: realClock,
    tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert },
    version: 'test',
    codec: schemaCodec(lookup),
    fieldManager: createFieldManager({ schemas: lookup, clock: realClock }),
    openapi: openapiDocuments(resources, { version: 'v1.32.4' }),
    tokenKeys: TEST_TOKEN_KEYS,
  });
  await bootstrapCluster(api);
  const registry = new NodeStreamingRegistry();
  for (const { sub, handler } of podStreamingSubresources(registry)) api.addSubresource(sub, handler);
  const port = await api.listen(0);
  kubeconfig = join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, buildKubeconfig(`https://127.0.0.1:${port}`, pki));
  client = api.client({ username: 'system:admin', groups: ['system:masters'] }, 'test');
  fake = await startFakeStreamingServer();
  const kubelet: KubeletStreaming = {
    logPath: async (_pod, _c, previous) => (previous ? undefined : logFile()),
    exec: async (_pod, _c, command, streams) => fake.url({ kind: 'exec', command, streams }),
    attach: async (_pod, _c, streams) => fake.url({ kind: 'exec', command: ['cat'], streams }),
    portForward: async () => fake.url({ kind: 'portforward', command: [] }),
  };
  registry.register('node-a', kubelet);
  echo = createServer((s) => {
    echoSockets.add(s);
    s.on('close', () => echoSockets.delete(s));
    s.pipe(s);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  writeFileSync(logFile(), '2024-01-01T00:00:01.5Z stdout F one\n2024-01-01T00:00:02Z stderr P tw\n2024-01-01T00:00:02Z stderr F o\n');
  await makePod('p', 'node-a');
  await makePod('sim', 'sim-1');
});

after(async () => {
  for (const s of echoSockets) s.destroy();
  echo?.close();
  await fake?.close();
  await api?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function makePod(name: string, node: string): Promise<void> {
  const pods = client.resource<Pod & { metadata: { name: string } }>(R.pods);
  const created = await pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }] } });
  const status: Pod['status'] = {
    phase: 'Running',
    containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: true, restartCount: 0, containerID: 'containerd://1', state: { running: { startedAt: '2024-01-01T00:00:00Z' } } }],
  };
  await pods.updateStatus('default', { ...created, status });
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl without blocking this process (the API server answers it from here). */
function kubectl(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir, ...opts.env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => p.kill(), 20000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const SPDY_ONLY = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false', KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' };

for (const [path, env] of [
  ['WebSocket v5', {}],
  ['SPDY', SPDY_ONLY],
] as const) {
  test(`kubectl exec over ${path}: output, stdin to EOF, exit codes`, async () => {
    const before = fake.protocols.length;
    const out = await kubectl(['exec', 'p', '--', 'echo', 'hello', 'world'], { env });
    assert.equal(out.stderr, '');
    assert.equal(out.stdout, 'hello world\n');
    assert.equal(out.code, 0);
    // The WebSocket relay asks the runtime for v4 alone; a SPDY client's own offer (several versions) is passed through.
    const offered = fake.protocols[before];
    if (path === 'SPDY') assert.ok(offered.length > 1, `SPDY client offered ${offered}`);
    else assert.deepEqual(offered, ['v4.channel.k8s.io']);

    const cat = await kubectl(['exec', '-i', 'p', '--', 'cat'], { input: 'hi\nthere\n', env });
    assert.equal(cat.stdout, 'hi\nthere\n');
    assert.equal(cat.code, 0);

    const fail = await kubectl(['exec', 'p', '--', 'exit', '3'], { env });
    assert.equal(fail.code, 3);
  });

  test(`kubectl port-forward over ${path} carries bytes both ways`, async () => {
    const target = (echo.address() as AddressInfo).port;
    const p = spawn('kubectl', ['port-forward', 'pod/p', `:${target}`, '-v=4'], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir, ...env } });
    let log = '';
    p.stderr.on('data', (d) => (log += d));
    try {
      const local = await new Promise<number>((resolve, reject) => {
        let out = '';
        p.stdout.on('data', (d) => {
          out += d;
          const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        p.on('close', (code) => reject(new Error(`port-forward exited ${code}`)));
      });
      const reply = await new Promise<string>((resolve, reject) => {
        const s = connect(local, '127.0.0.1', () => s.write('ping through the tunnel'));
        let got = '';
        s.on('data', (d) => {
          got += d;
          if (got.length >= 'ping through the tunnel'.length) {
            s.end();
            resolve(got);
          }
        });
        s.on('error', reject);
      });
      assert.equal(reply, 'ping through the tunnel');
      // The WebSocket tunnel must be taken, not kubectl's fallback to SPDY.
      if (path !== 'SPDY') assert.doesNotMatch(log, /fallback/);
    } finally {
      p.kill();
    }
  });
}

test('kubectl attach relays stdin and output', async () => {
  const out = await kubectl(['attach', '-i', 'p'], { input: 'attached\n' });
  assert.equal(out.stdout, 'attached\n');
  assert.equal(out.code, 0);
});

test('kubectl logs reads the CRI log: partial lines joined, --tail, --timestamps, --limit-bytes', async () => {
  assert.deepEqual(await kubectl(['logs', 'p']), { code: 0, stdout: 'one\ntwo\n', stderr: '' });
  assert.equal((await kubectl(['logs', 'p', '--tail=1'])).stdout, 'o\n');
  assert.equal((await kubectl(['logs', 'p', '--timestamps'])).stdout, '2024-01-01T00:00:01.5Z one\n2024-01-01T00:00:02Z tw2024-01-01T00:00:02Z o\n');
  assert.equal((await kubectl(['logs', 'p', '--limit-bytes=2'])).stdout, 'on');
  assert.equal((await kubectl(['logs', 'p', '--since-time=2024-01-01T00:00:02Z'])).stdout, 'two\n');
});

test('kubectl logs -f follows the file until the container stops running', async () => {
  const p = spawn('kubectl', ['logs', '-f', 'p', '--tail=0'], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir } });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number>((resolve) => p.on('close', (code) => resolve(code ?? -1)));
  try {
    await new Promise((r) => setTimeout(r, 500));
    appendFileSync(logFile(), '2024-01-01T00:00:03Z stdout F three\n');
    const deadline = Date.now() + 10000;
    while (!out.includes('three') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(out, 'three\n');
    await setState({ terminated: { exitCode: 0, containerID: 'containerd://1' } });
    appendFileSync(logFile(), '2024-01-01T00:00:04Z stdout F four\n');
    assert.equal(await exited, 0);
    assert.equal(out, 'three\nfour\n');
  } finally {
    p.kill();
    await setState({ running: { startedAt: '2024-01-01T00:00:00Z' } });
  }
});

/** Sets the state of pod p's container. */
async function setState(state: NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number]['state']): Promise<void> {
  const pods = client.resource<Pod & { metadata: { name: string } }>(R.pods);
  const pod = structuredClone(await pods.get('default', 'p')) as Pod & { metadata: { name: string } };
  pod.status!.containerStatuses![0].state = state;
  await pods.updateStatus('default', pod);
}

test('errors are upstream-shaped: simulated node, unknown container, previous instance, unknown pod', async () => {
  const sim = await kubectl(['exec', 'sim', '--', 'true']);
  assert.equal(sim.code, 1);
  assert.match(sim.stderr, /pod "sim" runs on simulated node "sim-1": cannot exec/);
  assert.match((await kubectl(['logs', 'sim'])).stderr, /pod "sim" runs on simulated node "sim-1": it has no logs/);
  assert.match((await kubectl(['logs', 'p', '-c', 'x'])).stderr, /container x is not valid for pod p/);
  assert.match((await kubectl(['logs', 'p', '--previous'])).stderr, /previous terminated container "c" in pod "p" not found/);
  assert.match((await kubectl(['exec', 'nope', '--', 'true'])).stderr, /pods "nope" not found/);
});
