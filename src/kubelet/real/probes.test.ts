import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Container, Probe } from 'kubernetes-types/core/v1';
import { decodeHealthCheckResponse, encodeHealthCheckRequest, probeEvent, probeKillMessage, ProbeState, resolveProbePort, runProbe, type ProbeOutcome, type ProbeTarget } from './probes';

const S: ProbeOutcome = { result: 'success', output: '' };
const F: ProbeOutcome = { result: 'failure', output: 'boom' };

test('readiness starts failed and needs successThreshold successes in a row', () => {
  const p = new ProbeState('readiness', { periodSeconds: 5, successThreshold: 2, failureThreshold: 2, initialDelaySeconds: 3 }, 1000);
  assert.equal(p.result, 'failure');
  assert.equal(p.due(3999, true), false, 'initial delay');
  assert.equal(p.due(4000, true), true);
  assert.equal(p.record(4000, S), false);
  assert.equal(p.due(8999, true), false, 'period');
  assert.equal(p.record(9000, S), true);
  assert.equal(p.result, 'success');
  assert.equal(p.record(14000, F), false, 'one failure is below the threshold');
  assert.equal(p.record(19000, S), false);
  assert.equal(p.record(24000, F), false);
  assert.equal(p.record(29000, F), true);
  assert.equal(p.result, 'failure');
  assert.equal(p.due(34000, true), true, 'readiness keeps probing after failing');
});

test('liveness starts healthy, fails after failureThreshold, then holds until a new instance', () => {
  const p = new ProbeState('liveness', { periodSeconds: 1 }, 0);
  assert.equal(p.result, 'success');
  assert.equal(p.due(0, false), false, 'waits for the startup probe');
  assert.equal(p.due(0, true), true);
  p.record(0, F);
  p.record(1000, F);
  assert.equal(p.result, 'success');
  assert.equal(p.record(2000, F), true);
  assert.equal(p.result, 'failure');
  assert.equal(p.nextProbeAt(true), undefined, 'on hold');
});

test('errored probes count as a run but leave the result', () => {
  const p = new ProbeState('liveness', { periodSeconds: 1, failureThreshold: 1 }, 0);
  assert.equal(p.record(0, { result: 'failure', output: 'x', error: true }), false);
  assert.equal(p.result, 'success');
  assert.equal(p.nextProbeAt(true), 1000);
});

test('startup probes until started, then stops', () => {
  const p = new ProbeState('startup', { periodSeconds: 2, failureThreshold: 30 }, 0);
  assert.equal(p.due(0, false), true);
  assert.equal(p.due(0, true), false);
});

test('events and kill message as upstream', () => {
  assert.deepEqual(probeEvent('liveness', F), { type: 'Warning', reason: 'Unhealthy', message: 'Liveness probe failed: boom' });
  assert.deepEqual(probeEvent('readiness', { result: 'failure', output: 'port p not found', error: true })?.message, 'Readiness probe errored: port p not found');
  assert.equal(probeEvent('startup', { result: 'success', output: 'x', warning: true })?.reason, 'ProbeWarning');
  assert.equal(probeEvent('liveness', S), undefined);
  assert.equal(probeKillMessage('liveness', 'app'), 'Container app failed liveness probe, will be restarted');
});

test('ports by number or container port name', () => {
  const c: Container = { name: 'c', ports: [{ name: 'http', containerPort: 8080 }] };
  assert.equal(resolveProbePort('http', c), 8080);
  assert.equal(resolveProbePort(81, c), 81);
  assert.equal(resolveProbePort('82', c), 82);
  assert.throws(() => resolveProbePort('grpc', c), { message: 'port grpc not found' });
  assert.throws(() => resolveProbePort(0, c), { message: 'invalid port number: 0' });
});

const noExec: ProbeTarget['cri'] = { execSync: async () => assert.fail('no exec expected') };
const target = (container: Container = { name: 'c' }, cri = noExec): ProbeTarget => ({ container, containerId: 'cid', podIP: '127.0.0.1', cri });

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

test('httpGet: 2xx/3xx succeed, 500 fails, redirects, headers, timeouts, refused', async () => {
  const seen: Record<string, string | undefined> = {};
  const server = createServer((req, res) => {
    if (req.url === '/ok') {
      seen.ua = req.headers['user-agent'];
      seen.accept = req.headers.accept;
      seen.custom = String(req.headers['x-probe']);
      res.end('fine');
    } else if (req.url === '/err') {
      res.statusCode = 500;
      res.end('secret body');
    } else if (req.url === '/hop') {
      res.writeHead(302, { location: '/ok' }).end();
    } else if (req.url === '/away') {
      res.writeHead(301, { location: `http://localhost:${port}/ok` }).end('moved');
    } else if (req.url === '/slow') setTimeout(() => res.end(), 3000);
    else res.writeHead(404).end();
  });
  const port = await listen(server);
  try {
    const http = (path: string, extra: Partial<NonNullable<Probe['httpGet']>> = {}): Probe => ({ httpGet: { port, path, ...extra }, timeoutSeconds: 1 });
    assert.deepEqual(await runProbe(http('/ok', { httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }), target()), { result: 'success', output: 'fine' });
    assert.deepEqual(seen, { ua: 'kube-probe/1.32', accept: '*/*', custom: 'yes' });
    assert.deepEqual(await runProbe(http('/err'), target()), { result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
    assert.deepEqual(await runProbe(http('/hop'), target()), { result: 'success', output: 'fine' });
    assert.deepEqual(await runProbe(http('/away'), target()), { result: 'success', output: 'Probe terminated redirects, Response body: moved', warning: true });
    const named = await runProbe({ httpGet: { port: 'web', path: 'ok' } }, target({ name: 'c', ports: [{ name: 'web', containerPort: port }] }));
    assert.equal(named.result, 'success');
    const t0 = Date.now();
    assert.deepEqual(await runProbe(http('/slow'), target()), {
      result: 'failure',
      output: `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
    assert.ok(Date.now() - t0 < 2500, 'gave up at the timeout');
  } finally {
    server.closeAllConnections();
    server.close();
  }
  assert.deepEqual(await runProbe({ httpGet: { port, path: '/' } }, target()), { result: 'failure', output: `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused` });
});

test('tcpSocket: open port succeeds, closed port fails with Go text', async () => {
  const srv = createTcpServer((s) => s.end());
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  assert.deepEqual(await runProbe({ tcpSocket: { port } }, target()), { result: 'success', output: '' });
  await new Promise((r) => srv.close(r));
  assert.deepEqual(await runProbe({ tcpSocket: { port } }, target()), { result: 'failure', output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
});

test('exec: exit code decides, output combined, $(VAR) from literal env, timeout is failure, other errors are errors', async () => {
  let got: { cmd: string[]; timeout: number } | undefined;
  const cri = (r: () => Promise<{ stdout: Buffer; stderr: Buffer; exitCode: number }>): ProbeTarget['cri'] => ({
    execSync: async (req) => {
      got = req;
      return r();
    },
  });
  const c: Container = { name: 'c', env: [{ name: 'FILE', value: '/tmp/healthy' }] };
  const probe: Probe = { exec: { command: ['cat', '$(FILE)'] }, timeoutSeconds: 2 };
  assert.deepEqual(await runProbe(probe, target(c, cri(async () => ({ stdout: Buffer.from('ok'), stderr: Buffer.alloc(0), exitCode: 0 })))), { result: 'success', output: 'ok' });
  assert.deepEqual(got, { containerId: 'cid', cmd: ['cat', '/tmp/healthy'], timeout: 2 });
  assert.deepEqual(await runProbe(probe, target(c, cri(async () => ({ stdout: Buffer.from('a'), stderr: Buffer.from('cat: no such file'), exitCode: 1 })))), {
    result: 'failure',
    output: 'acat: no such file',
  });
  const deadline = Object.assign(new Error('deadline'), { code: 4 });
  assert.deepEqual(await runProbe(probe, target(c, cri(() => Promise.reject(deadline)))), { result: 'failure', output: 'command "cat /tmp/healthy" timed out' });
  assert.deepEqual(await runProbe(probe, target(c, cri(() => Promise.reject(new Error('container not found'))))), { result: 'failure', output: 'container not found', error: true });
});

test('grpc health messages encode and decode', () => {
  assert.deepEqual([...encodeHealthCheckRequest('svc')], [0x0a, 3, 0x73, 0x76, 0x63]);
  assert.equal(encodeHealthCheckRequest('').length, 0);
  assert.equal(decodeHealthCheckResponse(Buffer.from([0x08, 1])), 'SERVING');
  assert.equal(decodeHealthCheckResponse(Buffer.from([0x12, 1, 0x41, 0x08, 2])), 'NOT_SERVING');
  assert.equal(decodeHealthCheckResponse(Buffer.alloc(0)), 'UNKNOWN');
});

// A minimal gRPC server on plain HTTP/2 (grpc-js's own server drops empty request messages, which Go servers accept).
async function healthServer(implemented: boolean, seen: string[]): Promise<{ port: number; close(): void }> {
  const srv = createHttp2Server();
  srv.on('stream', (st, headers) => {
    const chunks: Buffer[] = [];
    st.on('data', (d: Buffer) => chunks.push(d));
    st.on('end', () => {
      st.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      if (!implemented || headers[':path'] !== '/grpc.health.v1.Health/Check') {
        st.on('wantTrailers', () => st.sendTrailers({ 'grpc-status': '12', 'grpc-message': 'unknown service grpc.health.v1.Health' }));
        return st.end();
      }
      const body = Buffer.concat(chunks).subarray(5);
      const service = body.length ? body.subarray(2).toString() : '';
      seen.push(service);
      st.on('wantTrailers', () => st.sendTrailers({ 'grpc-status': '0' }));
      st.end(Buffer.from([0, 0, 0, 0, 2, 0x08, service === 'down' ? 2 : 1]));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { port: (srv.address() as AddressInfo).port, close: () => srv.close() };
}

test('grpc: SERVING succeeds, NOT_SERVING fails, no health service, nothing listening', async () => {
  const services: string[] = [];
  const healthy = await healthServer(true, services);
  const bare = await healthServer(false, []);
  const port = healthy.port;
  try {
    assert.deepEqual(await runProbe({ grpc: { port } }, target()), { result: 'success', output: 'service is serving' });
    assert.deepEqual(await runProbe({ grpc: { port, service: 'down' } }, target()), { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    assert.deepEqual(services, ['', 'down']);
    assert.deepEqual(await runProbe({ grpc: { port: bare.port } }, target()), {
      result: 'failure',
      output: 'error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health',
    });
  } finally {
    healthy.close();
    bare.close();
  }
  assert.deepEqual(await runProbe({ grpc: { port }, timeoutSeconds: 1 }, target()), {
    result: 'failure',
    output: `timeout: failed to connect service "127.0.0.1:${port}" within 1s: context deadline exceeded`,
  });
});
