import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigMap, Container, Pod, Secret, Service } from 'kubernetes-types/core/v1';
import { expand, expandContainerCommandAndArgs, expandSubPathExpr, mappingFuncFor, resolveEnv, serviceEnvVars, type EnvOptions } from './env';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const cms: Record<string, ConfigMap> = {
  app: { metadata: { name: 'app' }, data: { LEVEL: 'debug', 'b-key': 'B', a: 'A' } },
};
const secrets: Record<string, Secret> = { db: { metadata: { name: 'db' }, data: { password: b64('s3cret'), user: b64('admin') } } };
let reads = 0;
const lookup = {
  async getConfigMap(ns: string, name: string) {
    reads++;
    assert.equal(ns, 'team');
    return cms[name];
  },
  async getSecret(_ns: string, name: string) {
    return secrets[name];
  },
};
const pod = (c: Container, extra: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'web', namespace: 'team', uid: 'u-1', labels: { app: 'web' }, annotations: { note: 'x' } },
  spec: { containers: [c], nodeName: 'node-1', serviceAccountName: 'default', ...extra },
});
const opts: EnvOptions = { podIPs: ['10.244.0.7'], hostIPs: ['192.168.0.2'], nodeAllocatable: { cpu: '4', memory: '8Gi' } };
const env = async (c: Container, o: Partial<EnvOptions> = {}, spec: Partial<Pod['spec']> = {}) => Object.fromEntries((await resolveEnv(pod(c, spec), c, lookup, { ...opts, ...o })).map((e) => [e.key, e.value]));

test('expansion: $(VAR), $$ escape, unknown and unterminated references kept', () => {
  const m = mappingFuncFor(new Map([['A', 'x'], ['B', 'y']]));
  assert.equal(expand('$(A)-$(B)', m), 'x-y');
  assert.equal(expand('$$(A)', m), '$(A)');
  assert.equal(expand('$(C)', m), '$(C)');
  assert.equal(expand('$(A', m), '$(A');
  assert.equal(expand('a$b$', m), 'a$b$');
  assert.equal(expand('$$$$', m), '$$');
});

test('envFrom with prefix, then env overriding it and expanding earlier variables', async () => {
  const c: Container = {
    name: 'app',
    envFrom: [{ configMapRef: { name: 'app' }, prefix: 'CFG_' }, { secretRef: { name: 'db' } }],
    env: [
      { name: 'CFG_LEVEL', value: 'info' },
      { name: 'URL', value: 'db://$(user):$(password)@host/$(CFG_LEVEL)/$(MISSING)' },
      { name: 'EMPTY', value: '' },
    ],
  };
  const got = await resolveEnv(pod(c), c, lookup, opts);
  assert.deepEqual(
    got.map((e) => e.key),
    ['CFG_LEVEL', 'CFG_a', 'CFG_b-key', 'password', 'user', 'URL', 'EMPTY'],
  );
  const m = Object.fromEntries(got.map((e) => [e.key, e.value]));
  assert.equal(m.CFG_LEVEL, 'info');
  assert.equal(m.URL, 'db://admin:s3cret@host/info/$(MISSING)');
  assert.equal(m.EMPTY, '');
});

test('fieldRef: metadata, labels, node, service account, pod and host IPs', async () => {
  const fr = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  const m = await env({
    name: 'app',
    env: [
      fr('NAME', 'metadata.name'),
      fr('NS', 'metadata.namespace'),
      fr('UID', 'metadata.uid'),
      fr('APP', "metadata.labels['app']"),
      fr('NOTE', "metadata.annotations['note']"),
      fr('NODE', 'spec.nodeName'),
      fr('SA', 'spec.serviceAccountName'),
      fr('POD_IP', 'status.podIP'),
      fr('POD_IPS', 'status.podIPs'),
      fr('HOST_IP', 'status.hostIP'),
    ],
  });
  assert.deepEqual(m, { NAME: 'web', NS: 'team', UID: 'u-1', APP: 'web', NOTE: 'x', NODE: 'node-1', SA: 'default', POD_IP: '10.244.0.7', POD_IPS: '10.244.0.7', HOST_IP: '192.168.0.2' });
});

test('resourceFieldRef: divisors round up; unset limits read as node allocatable', async () => {
  const rf = (name: string, resource: string, divisor?: string) => ({ name, valueFrom: { resourceFieldRef: { resource, divisor } } });
  const m = await env({
    name: 'app',
    resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    env: [rf('CPU_REQ', 'requests.cpu'), rf('CPU_REQ_M', 'requests.cpu', '1m'), rf('MEM_LIM_MI', 'limits.memory', '1Mi'), rf('MEM_REQ', 'requests.memory'), rf('CPU_LIM', 'limits.cpu')],
  });
  assert.deepEqual(m, { CPU_REQ: '1', CPU_REQ_M: '250', MEM_LIM_MI: '128', MEM_REQ: String(64 * 1024 * 1024), CPU_LIM: '4' });
});

test('configMapKeyRef/secretKeyRef: missing keys and objects fail unless optional', async () => {
  const ref = (key: string, optional?: boolean, name = 'app') => ({ name: 'V', valueFrom: { configMapKeyRef: { name, key, optional } } });
  assert.deepEqual(await env({ name: 'app', env: [ref('LEVEL')] }), { V: 'debug' });
  assert.deepEqual(await env({ name: 'app', env: [ref('nope', true)] }), {});
  await assert.rejects(env({ name: 'app', env: [ref('nope')] }), { message: "couldn't find key nope in ConfigMap team/app" });
  await assert.rejects(env({ name: 'app', env: [ref('k', false, 'gone')] }), { message: 'configmap "gone" not found' });
  assert.deepEqual(await env({ name: 'app', env: [ref('k', true, 'gone')] }), {});
  await assert.rejects(env({ name: 'app', env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 'db', key: 'x' } } }] }), { message: "couldn't find key x in Secret team/db" });
  await assert.rejects(env({ name: 'app', envFrom: [{ secretRef: { name: 'gone' } }] }), { message: 'secret "gone" not found' });
  assert.deepEqual(await env({ name: 'app', envFrom: [{ secretRef: { name: 'gone', optional: true } }] }), {});
});

test('each ConfigMap is read once per container', async () => {
  reads = 0;
  await env({ name: 'app', envFrom: [{ configMapRef: { name: 'app' } }], env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'app', key: 'a' } } }] });
  assert.equal(reads, 1);
});

const svc = (ns: string, name: string, clusterIP: string, ports: Service['spec'] extends infer S ? (S extends { ports?: infer P } ? P : never) : never): Service => ({ metadata: { namespace: ns, name }, spec: { clusterIP, ports } });

test('service variables as upstream FromServices', () => {
  const vars = serviceEnvVars([svc('team', 'redis-primary', '10.96.0.20', [{ port: 6379 }, { name: 'metrics', port: 9121, protocol: 'TCP' }])]);
  assert.deepEqual(Object.fromEntries(vars.map((e) => [e.key, e.value])), {
    REDIS_PRIMARY_SERVICE_HOST: '10.96.0.20',
    REDIS_PRIMARY_SERVICE_PORT: '6379',
    REDIS_PRIMARY_SERVICE_PORT_METRICS: '9121',
    REDIS_PRIMARY_PORT: 'tcp://10.96.0.20:6379',
    REDIS_PRIMARY_PORT_6379_TCP: 'tcp://10.96.0.20:6379',
    REDIS_PRIMARY_PORT_6379_TCP_PROTO: 'tcp',
    REDIS_PRIMARY_PORT_6379_TCP_PORT: '6379',
    REDIS_PRIMARY_PORT_6379_TCP_ADDR: '10.96.0.20',
    REDIS_PRIMARY_PORT_9121_TCP: 'tcp://10.96.0.20:9121',
    REDIS_PRIMARY_PORT_9121_TCP_PROTO: 'tcp',
    REDIS_PRIMARY_PORT_9121_TCP_PORT: '9121',
    REDIS_PRIMARY_PORT_9121_TCP_ADDR: '10.96.0.20',
  });
});

test('service links: own namespace unless disabled, default/kubernetes always, headless skipped, env wins', async () => {
  const services = [
    svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443 }]),
    svc('team', 'api', '10.96.0.30', [{ port: 80 }]),
    svc('team', 'headless', 'None', [{ port: 80 }]),
    svc('other', 'api2', '10.96.0.31', [{ port: 80 }]),
  ];
  const c: Container = { name: 'app', env: [{ name: 'API_SERVICE_PORT', value: '8080' }, { name: 'U', value: '$(API_SERVICE_HOST)' }] };
  const m = await env(c, { services });
  assert.equal(m.KUBERNETES_SERVICE_HOST, '10.96.0.1');
  assert.equal(m.KUBERNETES_SERVICE_PORT_HTTPS, '443');
  assert.equal(m.API_SERVICE_HOST, '10.96.0.30');
  assert.equal(m.API_SERVICE_PORT, '8080');
  assert.equal(m.U, '10.96.0.30');
  assert.equal(m.HEADLESS_SERVICE_HOST, undefined);
  assert.equal(m.API2_SERVICE_HOST, undefined);
  const off = await env({ name: 'app' }, { services }, { enableServiceLinks: false });
  assert.equal(off.API_SERVICE_HOST, undefined);
  assert.equal(off.KUBERNETES_SERVICE_HOST, '10.96.0.1');
});

test('command/args and subPathExpr expansion', () => {
  const envs = [{ key: 'NAME', value: 'web' }, { key: 'EMPTY', value: '' }];
  assert.deepEqual(expandContainerCommandAndArgs({ name: 'c', command: ['echo', '$(NAME)'], args: ['$$(NAME)', '$(X)'] }, envs), { command: ['echo', 'web'], args: ['$(NAME)', '$(X)'] });
  assert.equal(expandSubPathExpr({ name: 'v', mountPath: '/m', subPathExpr: 'logs/$(NAME)' }, envs), 'logs/web');
  assert.throws(() => expandSubPathExpr({ name: 'v', mountPath: '/m', subPathExpr: '$(X)/$(EMPTY)' }, envs), { message: 'missing value for EMPTY, X' });
});
