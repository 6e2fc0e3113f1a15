// e2e: discovery, explain, output formats, selectors and paging through the real kubectl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, TestCluster } from '../support/cluster';

let c: TestCluster;
before(async () => {
  c = await startCluster();
});
after(async () => {
  await c?.stop();
});

test('the system namespaces exist at start', () => {
  const out = c.k(['get', 'ns']);
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(out, new RegExp(`^${ns}\\s+Active\\s+`, 'm'));
  assert.match(out, /^NAME\s+STATUS\s+AGE/m);
});

test('api-resources lists every served kind with short names and groups', () => {
  const out = c.k(['api-resources']);
  assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m);
  assert.match(out, /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m);
  assert.match(out, /^priorityclasses\s+pc\s+scheduling\.k8s\.io\/v1\s+false\s+PriorityClass$/m);
  assert.match(out, /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
});

test('explain deployment.spec.strategy describes the field from the schema', () => {
  const out = c.k(['explain', 'deployment.spec.strategy']);
  assert.match(out, /GROUP:\s+apps/);
  assert.match(out, /FIELD: strategy <DeploymentStrategy>/);
  assert.match(out, /rollingUpdate\s+<RollingUpdateDeployment>/);
  assert.match(out, /The deployment strategy to use to replace existing pods with new ones/);
});

test('output formats: yaml, json, wide, jsonpath, custom-columns', () => {
  c.k(['create', 'configmap', 'fmt', '--from-literal=a=1', '--from-literal=b=2']);
  const yaml = c.k(['get', 'cm', 'fmt', '-o', 'yaml']);
  assert.match(yaml, /^kind: ConfigMap$/m);
  assert.match(yaml, /^  a: "1"$/m);
  const json = JSON.parse(c.k(['get', 'cm', 'fmt', '-o', 'json']));
  assert.equal(json.data.b, '2');
  assert.match(json.metadata.uid, /^[0-9a-f-]{36}$/);
  assert.match(json.metadata.resourceVersion, /^\d+$/);
  const wide = c.k(['get', 'cm', 'fmt', '-o', 'wide']);
  assert.match(wide, /^NAME\s+DATA\s+AGE$/m);
  assert.match(wide, /^fmt\s+2\s+/m);
  assert.equal(c.k(['get', 'cm', 'fmt', '-o', 'jsonpath={.data.a}']), '1');
  const cc = c.k(['get', 'cm', 'fmt', '-o', 'custom-columns=NAME:.metadata.name,A:.data.a']);
  assert.match(cc, /^NAME\s+A\nfmt\s+1\n$/);
});

test('label and field selectors filter lists', () => {
  c.k(['create', 'namespace', 'sel']);
  for (const [name, tier] of [['s1', 'web'], ['s2', 'web'], ['s3', 'db']]) {
    c.k(['-n', 'sel', 'create', 'configmap', name, '--from-literal=x=y']);
    c.k(['-n', 'sel', 'label', 'configmap', name, `tier=${tier}`]);
  }
  const names = (args: string[]) => c.k(['-n', 'sel', 'get', 'cm', ...args, '-o', 'jsonpath={.items[*].metadata.name}']).split(' ').filter(Boolean);
  assert.deepEqual(names(['-l', 'tier=web']), ['s1', 's2']);
  // != also matches objects without the label, such as the namespace's kube-root-ca.crt.
  assert.deepEqual(names(['-l', 'tier!=web']), ['kube-root-ca.crt', 's3']);
  assert.deepEqual(names(['-l', 'tier in (db)']), ['s3']);
  assert.deepEqual(names(['--field-selector', 'metadata.name=s2']), ['s2']);
  assert.deepEqual(names(['--field-selector', 'metadata.name!=s2', '-l', 'tier']), ['s1', 's3']);
  const bad = c.kubectl(['-n', 'sel', 'get', 'cm', '--field-selector', 'spec.nope=1']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /field label not supported: spec.nope/);
});

test('--chunk-size pages through hundreds of objects', () => {
  c.k(['create', 'namespace', 'many']);
  const docs = Array.from({ length: 300 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${String(i).padStart(3, '0')}\ndata:\n  i: "${i}"\n`).join('---\n');
  c.k(['-n', 'many', 'apply', '-f', '-'], docs);
  const out = c.k(['-n', 'many', 'get', 'cm', '--chunk-size', '50', '-o', 'name', '-v=6']);
  const names = out.split('\n').filter((l) => l.startsWith('configmap/cm-'));
  assert.equal(names.length, 300);
  assert.equal(new Set(names).size, 300);
  const verbose = c.kubectl(['-n', 'many', 'get', 'cm', '--chunk-size', '50', '-v=6']);
  const pages = verbose.stderr.split('\n').filter((l) => /GET .*configmaps\?.*limit=50/.test(l));
  assert.ok(pages.length >= 6, `expected at least 6 paged requests, saw ${pages.length}`);
  assert.ok(pages.some((l) => /continue=/.test(l)), 'later pages carry a continue token');
});
