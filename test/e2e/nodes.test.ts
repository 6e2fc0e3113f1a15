// e2e: simulated nodes and their lifecycle through `tugboat node` and the real kubectl — registration, leases, pods, failure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startCluster, TestCluster } from '../support/cluster';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'tugboat.js');

// Short node timings so failure is detected in seconds: leases of 1 s (renewed every 250 ms), a 3 s grace period.
process.env.TUGBOAT_NODE_LEASE_DURATION = '1';
process.env.TUGBOAT_NODE_MONITOR_GRACE_PERIOD = '3s';

let c: TestCluster;
before(async () => {
  c = await startCluster(['--sim-nodes', '3']);
});
after(async () => {
  await c?.stop();
});

/** Runs `tugboat node ...` against the test cluster. */
function tugboatNode(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'node', ...args, '--kubeconfig', c.kubeconfig], { encoding: 'utf8', timeout: 20000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Polls `fn` every 100 ms until it returns a truthy value; fails after `ms`. */
async function waitFor<T>(what: string, fn: () => T | false | undefined, ms = 20000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const jsonpath = (args: string[], path: string) => c.kubectl(['get', ...args, '-o', `jsonpath=${path}`]).stdout;

test('tugboat up --sim-nodes 3 shows three Ready nodes with roles and version, and their Leases', async () => {
  const out = await waitFor('3 Ready nodes', () => {
    const o = c.kubectl(['get', 'nodes']).stdout;
    return (o.match(/ Ready /g) ?? []).length === 3 && o;
  });
  assert.match(out, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
  for (const n of [1, 2, 3]) assert.match(out, new RegExp(`sim-node-${n}\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.32\\.4\\n`));
  const leases = await waitFor('3 node leases', () => {
    const o = c.kubectl(['get', 'leases', '-n', 'kube-node-lease']).stdout;
    return (o.match(/sim-node-\d\s+sim-node-\d/g) ?? []).length === 3 && o;
  });
  assert.match(leases, /^NAME\s+HOLDER\s+AGE\n/);
  assert.equal(jsonpath(['lease', '-n', 'kube-node-lease', 'sim-node-1'], '{.spec.leaseDurationSeconds}'), '1');
  assert.equal(jsonpath(['node', 'sim-node-3'], '{.spec.podCIDR}'), '10.244.3.0/24');
});

test('tugboat node add gpu-1 --sim --gpus 2 --labels accel=nvidia: a Ready node with 2 GPUs allocatable', async () => {
  const r = tugboatNode(['add', 'gpu-1', '--sim', '--gpus', '2', '--labels', 'accel=nvidia']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'node/gpu-1 added (simulated)\n');
  await waitFor('gpu-1 Ready', () => / Ready /.test(c.kubectl(['get', 'node', 'gpu-1', '--no-headers']).stdout));
  assert.equal(jsonpath(['node', 'gpu-1'], '{.status.allocatable.nvidia\\.com/gpu}'), '2');
  assert.equal(jsonpath(['node', 'gpu-1'], '{.metadata.labels.accel}'), 'nvidia');
  assert.equal(c.k(['get', 'nodes', '-l', 'accel=nvidia', '-o', 'name']), 'node/gpu-1\n');
  const again = tugboatNode(['add', 'gpu-1', '--sim']);
  assert.equal(again.code, 1);
  assert.equal(again.stderr, 'tugboat: node "gpu-1" already exists\n');
  const bad = tugboatNode(['stop', 'nope']);
  assert.equal(bad.stderr, 'tugboat: node "nope" not found\n');
  assert.match(tugboatNode(['ls']).stdout, /^gpu-1\s+Ready\s+yes\s+running\s+8\s+32Gi\s+110\s+2\s+0$/m);
});

test('a pod bound to a node runs and becomes Ready with an IP from the node podCIDR', async () => {
  c.k(
    ['apply', '-f', '-'],
    `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: sim-node-1
  containers:
  - name: app
    image: nginx:1.27
    readinessProbe: {httpGet: {path: /, port: 80}, initialDelaySeconds: 1}
`,
  );
  c.k(['wait', '--for=condition=Ready', 'pod/web', '--timeout=30s']);
  const row = c.k(['get', 'pod', 'web', '-o', 'wide', '--no-headers']);
  assert.match(row, /^web\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.1\.\d+\s+sim-node-1\s/);
  assert.equal(jsonpath(['pod', 'web'], '{.status.hostIP}'), '172.18.0.3');
  const described = c.k(['describe', 'pod', 'web']);
  assert.match(described, /Started container app/);
  assert.match(described, /Container ID:\s+sim:\/\/[0-9a-f]{64}/);
});

test('kubectl delete with a grace period: Terminating until it has passed, then gone', async () => {
  const started = Date.now();
  c.k(['delete', 'pod', 'web', '--grace-period=3', '--wait=false']);
  assert.match(c.k(['get', 'pod', 'web', '--no-headers']), /Terminating/);
  await waitFor('web deleted', () => c.kubectl(['get', 'pod', 'web']).code !== 0);
  // deletionTimestamp has second precision, so the pod may go up to a second early.
  assert.ok(Date.now() - started >= 2000, `deleted after ${Date.now() - started} ms`);
});

test('a restartPolicy Never pod with the run-seconds annotation ends Completed', async () => {
  c.k(
    ['apply', '-f', '-'],
    `apiVersion: v1
kind: Pod
metadata: {name: once, annotations: {tugboat.dev/sim-run-seconds: "2"}}
spec:
  nodeName: sim-node-3
  restartPolicy: Never
  containers: [{name: work, image: busybox}]
`,
  );
  await waitFor('once Completed', () => /once\s+0\/1\s+Completed\s/.test(c.kubectl(['get', 'pod', 'once', '--no-headers']).stdout));
  assert.equal(jsonpath(['pod', 'once'], '{.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}'), 'Succeeded 0');
});

test('stopping a node: NotReady/Unknown with the unreachable taint, its pods evicted; starting it brings it back', async () => {
  c.k(
    ['apply', '-f', '-'],
    `apiVersion: v1
kind: Pod
metadata: {name: doomed}
spec:
  nodeName: sim-node-2
  tolerations:
  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1}
  containers: [{name: app, image: nginx}]
`,
  );
  c.k(['wait', '--for=condition=Ready', 'pod/doomed', '--timeout=30s']);
  const stop = tugboatNode(['stop', 'sim-node-2']);
  assert.equal(stop.code, 0, stop.stderr);
  await waitFor('sim-node-2 NotReady', () => /sim-node-2\s+NotReady\s/.test(c.kubectl(['get', 'node', 'sim-node-2', '--no-headers']).stdout));
  assert.equal(jsonpath(['node', 'sim-node-2'], '{.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].reason}'), 'Unknown NodeStatusUnknown');
  await waitFor('the unreachable taint', () => /node\.kubernetes\.io\/unreachable:NoExecute/.test(c.k(['describe', 'node', 'sim-node-2'])));
  await waitFor('doomed evicted', () => jsonpath(['pod', 'doomed'], '{.metadata.deletionTimestamp}') !== '');
  const events = c.k(['get', 'events', '--field-selector', 'involvedObject.name=doomed']);
  assert.match(events, /TaintManagerEviction\s+pod\/doomed\s+Marking for deletion Pod default\/doomed/);
  assert.match(jsonpath(['pod', 'doomed'], '{.status.conditions[?(@.type=="DisruptionTarget")].reason}'), /DeletionByTaintManager/);
  assert.match(tugboatNode(['ls']).stdout, /^sim-node-2\s+NotReady\s+yes\s+stopped\s/m);

  const start = tugboatNode(['start', 'sim-node-2']);
  assert.equal(start.code, 0, start.stderr);
  await waitFor('sim-node-2 Ready', () => /sim-node-2\s+Ready\s/.test(c.kubectl(['get', 'node', 'sim-node-2', '--no-headers']).stdout));
  await waitFor('taints removed', () => jsonpath(['node', 'sim-node-2'], '{.spec.taints}') === '');
});
