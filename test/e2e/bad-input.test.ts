// e2e: bad input gets the Kubernetes status code and a Status naming the problem; nothing partial is stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, TestCluster } from '../support/cluster';
import { raw } from '../support/http';

let c: TestCluster;
before(async () => {
  c = await startCluster();
});
after(async () => {
  await c?.stop();
});

const deploy = (patch: (d: any) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
  const d = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bad', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'bad' } },
      template: { metadata: { labels: { app: 'bad' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    },
  };
  patch(d);
  return JSON.stringify(d);
};

test('invalid objects are rejected by kubectl with the field named', () => {
  const cases: [string, RegExp][] = [
    [deploy((d) => (d.spec.replicas = -1)), /spec.replicas: Invalid value: -1: must be greater than or equal to 0/],
    [deploy((d) => delete d.spec.template.spec.containers[0].image), /spec.template.spec.containers\[0\].image: Required value/],
    [deploy((d) => (d.metadata.labels = { app: 'not valid!' })), /metadata.labels: Invalid value: "not valid!"/],
    [deploy((d) => (d.spec.selector.matchLabels.app = 'other')), /spec.template.metadata.labels: Invalid value: .*`selector` does not match template `labels`/],
    [deploy((d) => (d.spec.template.spec.containers[0].imagee = 'x')), /unknown field "spec.template.spec.containers\[0\].imagee"/],
  ];
  for (const [body, re] of cases) {
    const r = c.kubectl(['apply', '--validate=strict', '-f', '-'], body);
    assert.notEqual(r.code, 0, `accepted: ${body}`);
    assert.match(r.stderr, re);
  }
  assert.notEqual(c.kubectl(['get', 'deploy', 'bad']).code, 0, 'nothing was stored');
});

test('malformed JSON is a 400 Status', async () => {
  const r = await raw(c, 'POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion":"v1",');
  assert.equal(r.status, 400);
  assert.equal(r.json.kind, 'Status');
  assert.equal(r.json.reason, 'BadRequest');
  assert.equal(r.json.code, 400);
});

test('malformed YAML is a 400 Status', async () => {
  const r = await raw(c, 'POST', '/api/v1/namespaces/default/configmaps', 'a: [b', { 'Content-Type': 'application/yaml' });
  assert.equal(r.status, 400);
  assert.equal(r.json.reason, 'BadRequest');
});

test('an unknown resource is a 404 Status', async () => {
  const r = await raw(c, 'GET', '/api/v1/namespaces/default/widgets');
  assert.equal(r.status, 404);
  assert.equal(r.json.reason, 'NotFound');
  const k = c.kubectl(['get', 'widgets']);
  assert.notEqual(k.code, 0);
  assert.match(k.stderr, /the server doesn't have a resource type "widgets"/);
});

test('a body over 3 MiB is a 413 and stores nothing', async () => {
  const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } });
  const r = await raw(c, 'POST', '/api/v1/namespaces/default/configmaps', big);
  assert.equal(r.status, 413);
  assert.equal(r.json.reason, 'RequestEntityTooLarge');
  assert.equal((await raw(c, 'GET', '/api/v1/namespaces/default/configmaps/huge')).status, 404);
});

test('creating into a missing namespace is a 404 naming it', async () => {
  const r = c.kubectl(['-n', 'nope', 'create', 'configmap', 'x', '--from-literal=a=b']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /namespaces "nope" not found/);
});

test('a duplicate create is a 409 AlreadyExists', () => {
  c.k(['create', 'configmap', 'dup']);
  const r = c.kubectl(['create', 'configmap', 'dup']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /configmaps "dup" already exists/);
});

test('unauthenticated requests are refused; health and version are public', async () => {
  assert.equal((await raw(c, 'GET', '/api/v1/namespaces', undefined, {}, true)).status, 401);
  assert.equal((await raw(c, 'GET', '/healthz', undefined, {}, true)).text, 'ok');
  const v = await raw(c, 'GET', '/version', undefined, {}, true);
  assert.equal(v.json.major, '1');
  assert.equal(v.json.minor, '32');
});

test('services get a ClusterIP and NodePorts; a taken ClusterIP is refused', () => {
  c.k(['create', 'service', 'nodeport', 'np', '--tcp=80:8080']);
  const svc = JSON.parse(c.k(['get', 'svc', 'np', '-o', 'json']));
  assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  assert.ok(svc.spec.ports[0].nodePort >= 30000 && svc.spec.ports[0].nodePort <= 32767);
  const dup = c.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'dup-ip' }, spec: { clusterIP: svc.spec.clusterIP, ports: [{ port: 80 }] } }));
  assert.notEqual(dup.code, 0);
  assert.match(dup.stderr, /provided IP is already allocated/);
});
