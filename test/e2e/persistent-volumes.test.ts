// e2e: PersistentVolume binding, release, reclaim and storage-object-in-use protection, through the real kubectl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, TestCluster } from '../support/cluster';

let c: TestCluster;
before(async () => {
  c = await startCluster(['--sim-nodes', '1']);
  await poll('sim node', () => c.kubectl(['get', 'node', 'sim-node-1']).code === 0);
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

const jsonpath = (args: string[], path: string) => c.kubectl(['get', ...args, '-o', `jsonpath=${path}`]).stdout;
const gone = (args: string[]) => /NotFound/.test(c.kubectl(['get', ...args]).stderr);
/** The cells of one `kubectl get` row, by column header. */
function row(args: string[]): Record<string, string> {
  const [head, line] = c.k(['get', ...args]).trimEnd().split('\n');
  const cols = [...head.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0].trim(), at: m.index! }));
  return Object.fromEntries(cols.map((col, i) => [col.name, line.slice(col.at, cols[i + 1]?.at).trim()]));
}

const hostPathPV = (name: string, size: string, policy: string, path: string) => `
apiVersion: v1
kind: PersistentVolume
metadata: { name: ${name} }
spec:
  capacity: { storage: ${size} }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: ${policy}
  hostPath: { path: ${path} }
`;
const claim = (ns: string, name: string, size: string) => `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${name}, namespace: ${ns} }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: ${size} } }
`;

test('a hostPath PV and a PVC bind; deleting the PVC releases a Retain PV', async () => {
  c.k(['create', 'namespace', 'pvs']);
  c.k(['apply', '-f', '-'], hostPathPV('pv-retain', '1Gi', 'Retain', '/data/pv-retain'));
  await poll('PV Available', () => row(['pv', 'pv-retain']).STATUS === 'Available');
  c.k(['apply', '-f', '-'], claim('pvs', 'data', '500Mi'));
  await poll('PVC Bound', () => row(['-n', 'pvs', 'pvc', 'data']).STATUS === 'Bound');
  const pvc = row(['-n', 'pvs', 'pvc', 'data']);
  assert.equal(pvc.VOLUME, 'pv-retain');
  assert.equal(pvc.CAPACITY, '1Gi');
  assert.equal(pvc['ACCESS MODES'], 'RWO');
  const pv = row(['pv', 'pv-retain']);
  assert.equal(pv.STATUS, 'Bound');
  assert.equal(pv.CLAIM, 'pvs/data');
  assert.equal(jsonpath(['-n', 'pvs', 'pvc', 'data'], '{.metadata.annotations.pv\\.kubernetes\\.io/bind-completed}'), 'yes');
  assert.equal(jsonpath(['pv', 'pv-retain'], '{.metadata.annotations.pv\\.kubernetes\\.io/bound-by-controller}'), 'yes');
  assert.equal(jsonpath(['pv', 'pv-retain'], '{.spec.claimRef.uid}'), jsonpath(['-n', 'pvs', 'pvc', 'data'], '{.metadata.uid}'));

  c.k(['-n', 'pvs', 'delete', 'pvc', 'data', '--timeout=20s']);
  await poll('PV Released', () => row(['pv', 'pv-retain']).STATUS === 'Released');
  // Retain keeps the claim reference: the volume is not reused until an admin clears it.
  assert.equal(row(['pv', 'pv-retain']).CLAIM, 'pvs/data');
});

test('a PVC with no volume stays Pending with the upstream FailedBinding event', async () => {
  c.k(['apply', '-f', '-'], claim('pvs', 'lonely', '100Gi'));
  await poll('FailedBinding event', () => /no persistent volumes available for this claim and no storage class is set/.test(c.k(['-n', 'pvs', 'describe', 'pvc', 'lonely'])));
  assert.equal(row(['-n', 'pvs', 'pvc', 'lonely']).STATUS, 'Pending');
  c.k(['-n', 'pvs', 'delete', 'pvc', 'lonely']);
});

test('Delete reclaim of a hostPath outside /tmp fails with VolumeFailedDelete', async () => {
  c.k(['apply', '-f', '-'], hostPathPV('pv-delete', '2Gi', 'Delete', '/data/pv-delete'));
  await poll('PV Available', () => row(['pv', 'pv-delete']).STATUS === 'Available');
  c.k(['apply', '-f', '-'], claim('pvs', 'scratch', '2Gi'));
  await poll('PVC Bound', () => row(['-n', 'pvs', 'pvc', 'scratch']).VOLUME === 'pv-delete' && row(['-n', 'pvs', 'pvc', 'scratch']).STATUS === 'Bound');
  c.k(['-n', 'pvs', 'delete', 'pvc', 'scratch', '--timeout=20s']);
  await poll('PV Failed', () => row(['pv', 'pv-delete']).STATUS === 'Failed');
  assert.match(c.k(['describe', 'pv', 'pv-delete']), /VolumeFailedDelete\s+.*host_path deleter only supports \/tmp\/\.\+ but received provided \/data\/pv-delete/);
});

test('a PVC used by a running pod stays Terminating until the pod is deleted', async () => {
  c.k(['apply', '-f', '-'], hostPathPV('pv-used', '1Gi', 'Retain', '/data/pv-used'));
  await poll('PV Available', () => row(['pv', 'pv-used']).STATUS === 'Available');
  c.k(['apply', '-f', '-'], claim('pvs', 'used', '1Gi'));
  await poll('PVC Bound', () => row(['-n', 'pvs', 'pvc', 'used']).STATUS === 'Bound');
  // Added by admission on create, or soon after by the protection controllers.
  await poll('protection finalizers', () =>
    jsonpath(['-n', 'pvs', 'pvc', 'used'], '{.metadata.finalizers}') === '["kubernetes.io/pvc-protection"]' &&
    jsonpath(['pv', 'pv-used'], '{.metadata.finalizers}') === '["kubernetes.io/pv-protection"]',
  );
  c.k(['-n', 'pvs', 'run', 'app', '--image=busybox', '--overrides', JSON.stringify({ spec: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'used' } }], containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'd', mountPath: '/data' }] }] } })]);
  await poll('pod Running', () => jsonpath(['-n', 'pvs', 'pod', 'app'], '{.status.phase}') === 'Running');
  c.k(['-n', 'pvs', 'delete', 'pvc', 'used', '--wait=false']);
  await poll('PVC Terminating', () => row(['-n', 'pvs', 'pvc', 'used']).STATUS === 'Terminating');
  // A deleted, bound PV is kept as well.
  c.k(['delete', 'pv', 'pv-used', '--wait=false']);
  assert.equal(row(['pv', 'pv-used']).STATUS, 'Terminating');
  assert.equal(row(['-n', 'pvs', 'pvc', 'used']).STATUS, 'Terminating');
  c.k(['-n', 'pvs', 'delete', 'pod', 'app', '--grace-period=1', '--timeout=30s']);
  await poll('PVC gone', () => gone(['-n', 'pvs', 'pvc', 'used']));
  await poll('PV gone', () => gone(['pv', 'pv-used']));
});
