// e2e: the scheduler through the real kubectl on --sim-nodes 3 — FailedScheduling then a fit after a label, GPUs, gangs, preemption.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startCluster, TestCluster } from '../support/cluster';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'tugboat.js');

let c: TestCluster;
before(async () => {
  c = await startCluster(['--sim-nodes', '3']);
  await waitFor('3 Ready nodes', () => (c.kubectl(['get', 'nodes']).stdout.match(/ Ready /g) ?? []).length === 3);
});
after(async () => {
  await c?.stop();
});

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

const nodeOf = (pod: string) => c.kubectl(['get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}']).stdout;
const addSimNode = (name: string, ...flags: string[]) => {
  const r = spawnSync(process.execPath, [BIN, 'node', 'add', name, '--sim', ...flags, '--kubeconfig', c.kubeconfig], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
};

const pod = (name: string, opts: { requests?: Record<string, string>; limits?: Record<string, string>; extra?: string; labels?: string; annotations?: string } = {}) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${opts.labels ?? ''}}
  annotations: {${opts.annotations ?? ''}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: busybox
    resources:
      requests: ${JSON.stringify(opts.requests ?? {})}
      limits: ${JSON.stringify(opts.limits ?? {})}
${opts.extra ?? ''}`;

test('a pod asking for more cpu than any node has shows FailedScheduling in describe and get events', async () => {
  c.k(['apply', '-f', '-'], pod('huge', { requests: { cpu: '100' } }));
  const describe = await waitFor('FailedScheduling in describe', () => {
    const out = c.k(['describe', 'pod', 'huge']);
    return /FailedScheduling/.test(out) && out;
  });
  assert.match(describe, /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.\./);
  assert.match(describe, /PodScheduled\s+False/);
  const events = c.k(['get', 'events', '--field-selector', 'involvedObject.name=huge,reason=FailedScheduling']);
  assert.match(events, /Warning\s+FailedScheduling\s+pod\/huge\s+0\/3 nodes are available: 3 Insufficient cpu\./);
  assert.equal(c.k(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}']), 'Unschedulable');
  c.k(['delete', 'pod', 'huge']);
});

test('a pod whose node selector matches no node waits, then schedules after kubectl label node', async () => {
  c.k(['apply', '-f', '-'], pod('picky', { extra: '  nodeSelector: {disk: ssd}\n' }));
  await waitFor('FailedScheduling', () => /didn't match Pod's node affinity\/selector/.test(c.k(['get', 'events', '--field-selector', 'involvedObject.name=picky'])));
  assert.match(c.k(['describe', 'pod', 'picky']), /0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\.\./);
  assert.equal(nodeOf('picky'), '');
  c.k(['label', 'node', 'sim-node-2', 'disk=ssd']);
  assert.equal(await waitFor('picky bound', () => nodeOf('picky')), 'sim-node-2');
  await waitFor('Scheduled event', () => /Normal\s+Scheduled\s+.*Successfully assigned default\/picky to sim-node-2/.test(c.k(['describe', 'pod', 'picky'])));
  await waitFor('picky Running', () => c.k(['get', 'pod', 'picky', '-o', 'jsonpath={.status.phase}']) === 'Running');
});

test('a pod asking for nvidia.com/gpu lands only on the GPU node', async () => {
  addSimNode('gpu-1', '--gpus', '2');
  await waitFor('gpu-1 Ready', () => / Ready /.test(c.kubectl(['get', 'node', 'gpu-1', '--no-headers']).stdout));
  for (const n of ['cuda-a', 'cuda-b']) c.k(['apply', '-f', '-'], pod(n, { requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } }));
  assert.equal(await waitFor('cuda-a bound', () => nodeOf('cuda-a')), 'gpu-1');
  assert.equal(await waitFor('cuda-b bound', () => nodeOf('cuda-b')), 'gpu-1');
  // A third GPU does not exist anywhere.
  c.k(['apply', '-f', '-'], pod('cuda-c', { requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } }));
  await waitFor('cuda-c FailedScheduling', () => /4 Insufficient nvidia\.com\/gpu/.test(c.k(['get', 'events', '--field-selector', 'involvedObject.name=cuda-c'])));
  c.k(['delete', 'pod', 'cuda-a', 'cuda-b', 'cuda-c']);
  await waitFor('GPU pods gone', () => !/cuda-/.test(c.k(['get', 'pods'])));
});

test('a gang of 3 binds all together only once room for all of them exists', async () => {
  const member = (i: number) =>
    pod(`train-${i}`, {
      requests: { 'nvidia.com/gpu': '1' },
      limits: { 'nvidia.com/gpu': '1' },
      labels: 'scheduling.x-k8s.io/pod-group: train',
      annotations: 'scheduling.x-k8s.io/min-member: "3"',
    });
  c.k(['apply', '-f', '-'], [0, 1, 2].map(member).join('---\n'));
  const events = await waitFor('gang FailedScheduling', () => {
    const out = c.k(['get', 'events', '--field-selector', 'reason=FailedScheduling']);
    return /train-0/.test(out) && out;
  });
  assert.match(events, /coscheduling: pod group "train" cannot be placed all at once \(2 of 3 pods fit\)/);
  // Two GPUs are free, but none of the gang took them: all or nothing.
  for (const i of [0, 1, 2]) assert.equal(nodeOf(`train-${i}`), '');
  // An ordinary pod still gets a GPU meanwhile (no deadlock), and gives it back.
  c.k(['apply', '-f', '-'], pod('solo-gpu', { requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } }));
  assert.equal(await waitFor('solo-gpu bound', () => nodeOf('solo-gpu')), 'gpu-1');
  c.k(['delete', 'pod', 'solo-gpu']);
  addSimNode('gpu-2', '--gpus', '2');
  const placed = await waitFor('gang bound', () => {
    const nodes = [0, 1, 2].map((i) => nodeOf(`train-${i}`));
    return nodes.every(Boolean) && nodes;
  }, 30000);
  assert.deepEqual([...new Set(placed)].sort(), ['gpu-1', 'gpu-2']);
  await waitFor('gang Running', () => c.k(['get', 'pods', '-l', 'scheduling.x-k8s.io/pod-group=train', '-o', 'jsonpath={.items[*].status.phase}']) === 'Running Running Running');
});

test('a high-priority pod preempts a low-priority one on a full node', async () => {
  c.k(['create', 'priorityclass', 'low-prio', '--value=10']);
  c.k(['create', 'priorityclass', 'high-prio', '--value=1000']);
  const pinned = '  nodeSelector: {kubernetes.io/hostname: sim-node-3}\n';
  c.k(['apply', '-f', '-'], pod('filler', { requests: { cpu: '7' }, extra: `${pinned}  priorityClassName: low-prio\n` }));
  assert.equal(await waitFor('filler bound', () => nodeOf('filler')), 'sim-node-3');
  c.k(['apply', '-f', '-'], pod('vip', { requests: { cpu: '7' }, extra: `${pinned}  priorityClassName: high-prio\n` }));
  assert.equal(await waitFor('vip bound', () => nodeOf('vip'), 30000), 'sim-node-3');
  assert.match(c.k(['get', 'events', '--field-selector', 'reason=Preempted']), /Normal\s+Preempted\s+pod\/filler\s+Preempted by pod \S+ on node sim-node-3/);
  assert.equal(c.kubectl(['get', 'pod', 'filler']).code, 1, 'the victim is gone');
});
