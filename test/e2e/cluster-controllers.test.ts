// e2e: garbage collection, namespace deletion, service accounts, quota, limit ranges, endpoints and drain with a PDB, via kubectl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startCluster, TestCluster } from '../support/cluster';

let c: TestCluster;
before(async () => {
  c = await startCluster(['--sim-nodes', '3']);
  await poll('sim nodes', () => c.kubectl(['get', 'node', 'sim-node-3']).code === 0);
});
after(async () => {
  await c?.stop();
});

/** Polls `cond` until it holds, failing with `what` after `timeoutMs`. */
async function poll(what: string, cond: () => boolean, timeoutMs = 20000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const json = (args: string[]) => JSON.parse(c.k([...args, '-o', 'json']));
const gone = (args: string[]) => /NotFound/.test(c.kubectl(['get', ...args]).stderr);

const configMap = (name: string, owner?: { name: string; uid: string; block: boolean }) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.name, uid: owner.uid, ...(owner.block ? { blockOwnerDeletion: true } : {}) }] } : {}) },
});

const docs = (items: object[]) => items.map((i) => JSON.stringify(i)).join('\n');

test('cascade delete: background, foreground and orphan', async () => {
  c.k(['create', 'namespace', 'gc']);
  // Owner ConfigMaps, each with two dependents (ownerReferences work on any kind); foreground ones block.
  const owners = ['bg', 'fg', 'or'];
  c.k(['-n', 'gc', 'create', '-f', '-'], docs(owners.map((o) => configMap(o))));
  const uids = new Map(json(['-n', 'gc', 'get', 'configmaps', ...owners]).items.map((o: { metadata: { name: string; uid: string } }) => [o.metadata.name, o.metadata.uid]));
  c.k(['-n', 'gc', 'create', '-f', '-'], docs(owners.flatMap((o) => ['1', '2'].map((n) => configMap(`${o}-${n}`, { name: o, uid: uids.get(o) as string, block: o === 'fg' })))));
  const names = () => c.k(['-n', 'gc', 'get', 'configmaps', '-o', 'name']);

  c.k(['-n', 'gc', 'delete', 'configmap', 'bg', '--cascade=background']);
  await poll('background dependents deleted', () => !/bg-/.test(names()));
  // kubectl waits until the owner is gone, which in the foreground is after its blocking dependents.
  c.k(['-n', 'gc', 'delete', 'configmap', 'fg', '--cascade=foreground', '--timeout=20s']);
  assert.doesNotMatch(names(), /fg-/);
  c.k(['-n', 'gc', 'delete', 'configmap', 'or', '--cascade=orphan', '--timeout=20s']);
  const orphans = json(['-n', 'gc', 'get', 'configmaps', 'or-1', 'or-2']).items;
  assert.deepEqual(orphans.map((o: { metadata: { ownerReferences?: unknown } }) => o.metadata.ownerReferences), [undefined, undefined]);
});

test('a new namespace gets a default ServiceAccount; deleting a namespace empties it and it disappears', async () => {
  c.k(['create', 'namespace', 'doomed']);
  await poll('default service account', () => c.kubectl(['-n', 'doomed', 'get', 'serviceaccount', 'default']).code === 0);
  c.k(['-n', 'doomed', 'create', 'configmap', 'cm', '--from-literal=a=b']);
  c.k(['-n', 'doomed', 'create', 'secret', 'generic', 's', '--from-literal=a=b']);
  c.k(['-n', 'doomed', 'create', 'service', 'clusterip', 'svc', '--tcp=80:80']);
  c.k(['-n', 'doomed', 'run', 'p', '--image=busybox', '--overrides={"spec":{"terminationGracePeriodSeconds":1}}']);
  c.k(['delete', 'namespace', 'doomed', '--timeout=30s']);
  assert.ok(gone(['namespace', 'doomed']));
  assert.equal(c.k(['get', 'configmaps,secrets,services,pods', '-n', 'doomed', '-o', 'name']).trim(), '');
});

test('a quota of two pods refuses a third with the exceeded-quota message, and shows its usage', async () => {
  c.k(['create', 'namespace', 'quota']);
  c.k(['-n', 'quota', 'create', 'quota', 'q', '--hard=pods=2']);
  c.k(['-n', 'quota', 'run', 'p1', '--image=busybox']);
  c.k(['-n', 'quota', 'run', 'p2', '--image=busybox']);
  const third = c.kubectl(['-n', 'quota', 'run', 'p3', '--image=busybox']);
  assert.notEqual(third.code, 0);
  assert.match(third.stderr, /Error from server \(Forbidden\): pods "p3" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2/);
  await poll('quota usage', () => json(['-n', 'quota', 'get', 'quota', 'q']).status?.used?.pods === '2');
  assert.match(c.k(['-n', 'quota', 'describe', 'quota', 'q']), /pods\s+2\s+2/);
});

test('LimitRange defaults appear on a created pod; a pod over its max is refused', () => {
  c.k(['create', 'namespace', 'limits']);
  const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' }, max: { cpu: '1' } }] } };
  c.k(['-n', 'limits', 'create', '-f', '-'], JSON.stringify(lr));
  c.k(['-n', 'limits', 'run', 'a', '--image=busybox']);
  const pod = json(['-n', 'limits', 'get', 'pod', 'a']);
  assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
  assert.equal(pod.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container a; cpu, memory limit for container a');
  assert.equal(pod.status.qosClass, 'Burstable');
  assert.equal(pod.spec.serviceAccountName, 'default');
  const big = c.kubectl(['-n', 'limits', 'run', 'b', '--image=busybox', '--overrides={"spec":{"containers":[{"name":"b","image":"busybox","resources":{"limits":{"cpu":"2"}}}]}}']);
  assert.match(big.stderr, /pods "b" is forbidden: maximum cpu usage per Container is 1, but limit is 2/);
});

test("a Service's Endpoints and EndpointSlice list its ready pods", async () => {
  c.k(['create', 'namespace', 'svc']);
  for (const i of [1, 2]) {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${i}`, labels: { app: 'web' } }, spec: { nodeName: `sim-node-${i}`, containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } };
    c.k(['-n', 'svc', 'create', '-f', '-'], JSON.stringify(pod));
  }
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
  c.k(['-n', 'svc', 'create', '-f', '-'], JSON.stringify(svc));
  // Ready addresses appear once the sim kubelet has the pods running and ready.
  await poll('endpoints of both pods', () => (json(['-n', 'svc', 'get', 'endpoints', 'web']).subsets?.[0]?.addresses?.length ?? 0) === 2);
  const ep = json(['-n', 'svc', 'get', 'endpoints', 'web']);
  const ips = json(['-n', 'svc', 'get', 'pods']).items.map((p: { status: { podIP: string } }) => p.status.podIP);
  assert.deepEqual(ep.subsets[0].addresses.map((a: { ip: string }) => a.ip).sort(), ips.sort());
  assert.deepEqual(ep.subsets[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  await poll('slice of both pods', () => (json(['-n', 'svc', 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']).items[0]?.endpoints?.length ?? 0) === 2);
  const slice = json(['-n', 'svc', 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']).items[0];
  assert.equal(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.ok(slice.endpoints.every((e: { conditions: { ready: boolean } }) => e.conditions.ready));
  assert.match(c.k(['-n', 'svc', 'get', 'endpoints', 'web']), /web\s+10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080/);
});

test('kubectl drain respects a PDB: the last allowed pod waits (429) until a replacement is healthy', async () => {
  c.k(['create', 'namespace', 'drain']);
  const dbPod = (name: string, node: string) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'db' } }, spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'db', image: 'busybox' }] } });
  c.k(['-n', 'drain', 'create', '-f', '-'], dbPod('db-1', 'sim-node-2'));
  c.k(['-n', 'drain', 'create', '-f', '-'], dbPod('db-2', 'sim-node-2'));
  c.k(['-n', 'drain', 'create', 'pdb', 'db', '--selector=app=db', '--min-available=1']);
  await poll('one disruption allowed', () => json(['-n', 'drain', 'get', 'pdb', 'db']).status?.disruptionsAllowed === 1);

  const drain = spawn('kubectl', ['drain', 'sim-node-2', '--pod-selector=app=db', '--force', '--timeout=60s'], { env: { ...process.env, KUBECONFIG: c.kubeconfig, HOME: c.dataDir } });
  let out = '';
  drain.stdout.on('data', (d) => (out += d));
  drain.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number>((resolve) => drain.on('exit', (code) => resolve(code ?? -1)));
  await poll('a refused eviction', () => /Cannot evict pod as it would violate the pod's disruption budget/.test(out), 30000);
  assert.match(out, /\(will retry after 5s\)/);
  assert.doesNotMatch(out, /drained/);
  c.k(['-n', 'drain', 'create', '-f', '-'], dbPod('db-3', 'sim-node-3'));
  const code = await exited;
  assert.equal(code, 0, out);
  assert.match(out, /pod\/db-1 evicted/);
  assert.match(out, /pod\/db-2 evicted/);
  assert.match(out, /node\/sim-node-2 drained/);
  assert.deepEqual(json(['-n', 'drain', 'get', 'pods']).items.map((p: { metadata: { name: string } }) => p.metadata.name), ['db-3']);
});
