// e2e: create, apply (twice), diff, every patch type, replace, delete, server-side apply conflicts and dry runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, TestCluster } from '../support/cluster';

let c: TestCluster;
before(async () => {
  c = await startCluster();
  c.k(['create', 'namespace', 'w']);
});
after(async () => {
  await c?.stop();
});

const deployment = (image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: w
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
`;

test('apply creates, a second apply is unchanged, diff shows a change, apply configures it', () => {
  assert.match(c.k(['apply', '-f', '-'], deployment('nginx:1.25')), /deployment.apps\/web created/);
  assert.match(c.k(['apply', '-f', '-'], deployment('nginx:1.25')), /deployment.apps\/web unchanged/);
  const d = c.kubectl(['diff', '-f', '-'], deployment('nginx:1.26'));
  assert.equal(d.code, 1, d.stderr);
  assert.match(d.stdout, /-\s+image: nginx:1.25/);
  assert.match(d.stdout, /\+\s+image: nginx:1.26/);
  assert.match(c.k(['apply', '-f', '-'], deployment('nginx:1.26')), /deployment.apps\/web configured/);
  const obj = JSON.parse(c.k(['-n', 'w', 'get', 'deploy', 'web', '-o', 'json']));
  assert.equal(obj.spec.template.spec.containers[0].image, 'nginx:1.26');
  assert.equal(obj.metadata.generation, 2);
  // Upstream defaults are filled in.
  assert.equal(obj.spec.strategy.type, 'RollingUpdate');
  assert.equal(obj.spec.strategy.rollingUpdate.maxSurge, '25%');
  assert.equal(obj.spec.revisionHistoryLimit, 10);
  assert.equal(obj.spec.progressDeadlineSeconds, 600);
  assert.equal(obj.spec.template.spec.restartPolicy, 'Always');
  assert.equal(obj.spec.template.spec.terminationGracePeriodSeconds, 30);
  assert.equal(obj.spec.template.spec.dnsPolicy, 'ClusterFirst');
});

test('apply removes an env var dropped from the manifest and keeps the rest', () => {
  const without = deployment('nginx:1.26').replace('        - {name: B, value: "2"}\n', '');
  c.k(['apply', '-f', '-'], without);
  const env = JSON.parse(c.k(['-n', 'w', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].env}']));
  assert.deepEqual(env, [{ name: 'A', value: '1' }]);
});

test('patch: strategic merge, merge and json', () => {
  c.k(['-n', 'w', 'patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}']);
  let names = c.k(['-n', 'w', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].name}']);
  assert.equal(names, 'side web', 'strategic merge adds a container by name (first, as upstream) and keeps the other');
  c.k(['-n', 'w', 'patch', 'deploy', 'web', '--type', 'merge', '-p', '{"metadata":{"labels":{"extra":"yes"}}}']);
  assert.equal(c.k(['-n', 'w', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels.extra}']), 'yes');
  c.k(['-n', 'w', 'patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']);
  assert.equal(c.k(['-n', 'w', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '4');
  const bad = c.kubectl(['-n', 'w', 'patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"test","path":"/spec/replicas","value":9}]']);
  assert.notEqual(bad.code, 0);
  names = c.k(['-n', 'w', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']);
  assert.equal(names, '4', 'a failed patch changes nothing');
});

test('scale, replace and delete', () => {
  c.k(['-n', 'w', 'scale', 'deploy', 'web', '--replicas', '1']);
  assert.equal(c.k(['-n', 'w', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '1');
  c.k(['replace', '-f', '-'], deployment('nginx:1.27', 3));
  const obj = JSON.parse(c.k(['-n', 'w', 'get', 'deploy', 'web', '-o', 'json']));
  assert.equal(obj.spec.replicas, 3);
  assert.equal(obj.spec.template.spec.containers.length, 1);
  assert.match(c.k(['-n', 'w', 'delete', 'deploy', 'web']), /deployment.apps "web" deleted/);
  const gone = c.kubectl(['-n', 'w', 'get', 'deploy', 'web']);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /deployments.apps "web" not found/);
});

test('a stale resourceVersion on update is a 409 conflict', () => {
  c.k(['-n', 'w', 'create', 'configmap', 'cc', '--from-literal=a=1']);
  const obj = JSON.parse(c.k(['-n', 'w', 'get', 'cm', 'cc', '-o', 'json']));
  c.k(['-n', 'w', 'patch', 'cm', 'cc', '-p', '{"data":{"a":"2"}}']);
  obj.data.a = '3';
  const r = c.kubectl(['replace', '-f', '-'], JSON.stringify(obj));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Operation cannot be fulfilled on configmaps "cc": the object has been modified; please apply your changes to the latest version and try again/);
});

test('server-side apply: two managers conflict on a field, --force-conflicts takes it', () => {
  const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: w\ndata:\n  shared: "${v}"\n`;
  assert.match(c.k(['apply', '--server-side', '--field-manager', 'alice', '-f', '-'], cm('a')), /serverside-applied/);
  const r = c.kubectl(['apply', '--server-side', '--field-manager', 'bob', '-f', '-'], cm('b'));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /conflict with "alice"/);
  assert.match(r.stderr, /\.data\.shared/);
  c.k(['apply', '--server-side', '--field-manager', 'bob', '--force-conflicts', '-f', '-'], cm('b'));
  const obj = JSON.parse(c.k(['-n', 'w', 'get', 'cm', 'ssa', '-o', 'json', '--show-managed-fields']));
  assert.equal(obj.data.shared, 'b');
  const bob = obj.metadata.managedFields.find((m: { manager: string }) => m.manager === 'bob');
  assert.equal(bob.operation, 'Apply');
  assert.ok(bob.fieldsV1['f:data']['f:shared']);
});

test('--dry-run=server validates and stores nothing', () => {
  const out = c.k(['-n', 'w', 'create', 'configmap', 'dry', '--from-literal=a=1', '--dry-run=server', '-o', 'name']);
  assert.match(out, /configmap\/dry/);
  assert.notEqual(c.kubectl(['-n', 'w', 'get', 'cm', 'dry']).code, 0);
  const bad = c.kubectl(['apply', '--dry-run=server', '-f', '-'], deployment('nginx', -1));
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /spec.replicas: Invalid value: -1: must be greater than or equal to 0/);
});
