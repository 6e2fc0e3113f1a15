import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, PodSpec, Secret, Volume } from 'kubernetes-types/core/v1';
import type { ObjectLookup } from './object-lookup';
import {
  containerMounts,
  emptyDirMemorySize,
  isMountPoint,
  mountMemoryRoot,
  podMemoryDir,
  refreshPodVolumes,
  setUpPodVolumes,
  tearDownPodVolumes,
  terminationMessageMount,
  volumeDir,
  type VolumeOptions,
} from './volumes';

const b64 = (s: string) => Buffer.from(s).toString('base64');
function fakeLookup() {
  const cms = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  const pvcs = new Map<string, PersistentVolumeClaim>();
  const pvs = new Map<string, PersistentVolume>();
  let tokenSeq = 0;
  const lookup: ObjectLookup = {
    getConfigMap: async (_ns, n) => cms.get(n),
    getSecret: async (_ns, n) => secrets.get(n),
    getPersistentVolumeClaim: async (_ns, n) => pvcs.get(n),
    getPersistentVolume: async (n) => pvs.get(n),
    getServiceAccountToken: async (s) => {
      if (s.serviceAccount !== 'default') throw new Error(`serviceaccounts "${s.serviceAccount}" not found`);
      return `token-${++tokenSeq}-${s.podUid}-${s.expirationSeconds}`;
    },
  };
  return { lookup, cms, secrets, pvcs, pvs };
}
const opts: VolumeOptions = { nodeAllocatable: { memory: '1Gi', cpu: '2' }, tmpfs: false };
const pod = (volumes: Volume[], extra: Partial<PodSpec> = {}): Pod => ({
  metadata: { name: 'web', namespace: 'team', uid: 'uid-1', labels: { app: 'web' } },
  spec: { serviceAccountName: 'default', containers: [{ name: 'app', image: 'x', resources: { limits: { memory: '64Mi' } } }], volumes, ...extra },
});

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'vol-'));
  try {
    await fn(dir);
  } finally {
    await tearDownPodVolumes(dir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

test('emptyDir is a world-writable dir; mounts honour readOnly, subPath and propagation', () =>
  withDir(async (dir) => {
    const p = pod([{ name: 'scratch', emptyDir: {} }]);
    const { volumes, errors } = await setUpPodVolumes(p, dir, fakeLookup().lookup, opts);
    assert.deepEqual(errors, []);
    const host = volumeDir(dir, 'emptyDir', 'scratch');
    assert.equal(volumes.get('scratch')?.hostPath, host);
    assert.equal((await stat(host)).mode & 0o777, 0o777);
    await chmod(host, 0o700);
    await setUpPodVolumes(p, dir, fakeLookup().lookup, opts);
    assert.equal((await stat(host)).mode & 0o777, 0o700, 'set up once: later syncs leave it alone');
    const mounts = await containerMounts(
      p,
      {
        name: 'app',
        volumeMounts: [
          { name: 'scratch', mountPath: '/data' },
          { name: 'scratch', mountPath: '/ro', readOnly: true, mountPropagation: 'HostToContainer' },
          { name: 'scratch', mountPath: '/logs', subPathExpr: 'logs/$(POD)' },
        ],
      },
      volumes,
      { envs: [{ key: 'POD', value: 'web' }], etcHostsPath: join(dir, 'etc-hosts') },
    );
    assert.deepEqual(
      mounts.map((m) => [m.containerPath, m.hostPath, m.readonly, m.propagation]),
      [
        ['/data', host, false, 'PROPAGATION_PRIVATE'],
        ['/ro', host, true, 'PROPAGATION_HOST_TO_CONTAINER'],
        ['/logs', join(host, 'logs/web'), false, 'PROPAGATION_PRIVATE'],
        ['/etc/hosts', join(dir, 'etc-hosts'), false, 'PROPAGATION_PRIVATE'],
      ],
    );
    assert.ok((await stat(join(host, 'logs/web'))).isDirectory(), 'subPath created');
    await assert.rejects(containerMounts(p, { name: 'app', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }, volumes), { message: 'cannot find volume "nope" to mount into container "app"' });
    await assert.rejects(containerMounts(p, { name: 'app', volumeMounts: [{ name: 'scratch', mountPath: '/x', subPath: '../up' }] }, volumes), /must not contain '\.\.'/);
    await symlink('/etc', join(host, 'escape'));
    await assert.rejects(containerMounts(p, { name: 'app', volumeMounts: [{ name: 'scratch', mountPath: '/x', subPath: 'escape' }] }, volumes), {
      message: 'failed to prepare subPath for volumeMount "scratch" of container "app"',
    });
    const own = await containerMounts(p, { name: 'app', volumeMounts: [{ name: 'scratch', mountPath: '/etc/hosts', subPath: 'h' }] }, volumes, { etcHostsPath: join(dir, 'etc-hosts') });
    assert.equal(own.length, 1, 'no managed /etc/hosts over a mount the container brings');
  }));

test('configMap and secret files with items and modes; updates land in place; missing objects fail unless optional', () =>
  withDir(async (dir) => {
    const f = fakeLookup();
    f.cms.set('cfg', { metadata: { name: 'cfg' }, data: { 'app.conf': 'v1', other: 'o' }, binaryData: { bin: b64('\x00\x01') } });
    f.secrets.set('db', { metadata: { name: 'db' }, data: { password: b64('s3cret') } });
    const p = pod([
      { name: 'cfg', configMap: { name: 'cfg' } },
      { name: 'picked', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o600 }] } },
      { name: 'db', secret: { secretName: 'db', defaultMode: 0o400 } },
      { name: 'opt', secret: { secretName: 'nope', optional: true } },
    ]);
    const r = await setUpPodVolumes(p, dir, f.lookup, opts);
    assert.deepEqual(r.errors, []);
    const cfg = volumeDir(dir, 'configMap', 'cfg');
    assert.equal(await readFile(join(cfg, 'app.conf'), 'utf8'), 'v1');
    assert.deepEqual([...(await readFile(join(cfg, 'bin')))], [0, 1]);
    assert.equal(r.volumes.get('cfg')?.readOnly, true);
    assert.equal((await stat(join(volumeDir(dir, 'configMap', 'picked'), 'conf/app.conf'))).mode & 0o777, 0o600);
    const db = join(volumeDir(dir, 'secret', 'db'), 'password');
    assert.equal(await readFile(db, 'utf8'), 's3cret');
    assert.equal((await stat(db)).mode & 0o777, 0o400);

    f.cms.set('cfg', { metadata: { name: 'cfg' }, data: { 'app.conf': 'v2' } });
    const before = await readlink(join(cfg, '..data'));
    assert.deepEqual((await refreshPodVolumes(p, dir, f.lookup, opts)).errors, []);
    assert.equal(await readFile(join(cfg, 'app.conf'), 'utf8'), 'v2', 'same path, new content');
    assert.notEqual(await readlink(join(cfg, '..data')), before);
    await assert.rejects(stat(join(cfg, 'other')), { code: 'ENOENT' });

    const bad = await setUpPodVolumes(
      pod([
        { name: 's', secret: { secretName: 'gone' } },
        { name: 'c', configMap: { name: 'cfg', items: [{ key: 'nokey', path: 'x' }] } },
      ]),
      dir,
      f.lookup,
      opts,
    );
    assert.deepEqual(bad.errors, [
      { volume: 'c', message: 'MountVolume.SetUp failed for volume "c" : configmap references non-existent config key: nokey' },
      { volume: 's', message: 'MountVolume.SetUp failed for volume "s" : secret "gone" not found' },
    ]);
  }));

test('projected API access volume: bound token, CA and namespace; downwardAPI files; fsGroup makes the token 0640', () =>
  withDir(async (dir) => {
    const f = fakeLookup();
    f.cms.set('kube-root-ca.crt', { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'PEM' } });
    const access: Volume = {
      name: 'kube-api-access-x',
      projected: {
        defaultMode: 0o644,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    };
    const info: Volume = {
      name: 'info',
      downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } }] },
    };
    const r = await setUpPodVolumes(pod([access, info], { securityContext: { fsGroup: process.getgid?.() ?? 0 } }), dir, f.lookup, opts);
    assert.deepEqual(r.errors, []);
    const d = volumeDir(dir, 'projected', 'kube-api-access-x');
    assert.equal(await readFile(join(d, 'token'), 'utf8'), 'token-1-uid-1-3607');
    assert.equal((await stat(join(d, 'token'))).mode & 0o777, 0o640);
    assert.equal(await readFile(join(d, 'ca.crt'), 'utf8'), 'PEM');
    assert.equal(await readFile(join(d, 'namespace'), 'utf8'), 'team');
    const i = volumeDir(dir, 'downwardAPI', 'info');
    assert.equal(await readFile(join(i, 'labels'), 'utf8'), 'app="web"');
    assert.equal(await readFile(join(i, 'mem'), 'utf8'), '64');

    const broken: Volume = { name: 'b', projected: { sources: [{ serviceAccountToken: { path: 't' } }, { secret: { name: 'gone' } }] } };
    const r2 = await setUpPodVolumes(pod([broken], { serviceAccountName: 'ghost' }), dir, f.lookup, opts);
    assert.deepEqual(r2.errors, [{ volume: 'b', message: 'MountVolume.SetUp failed for volume "b" : [serviceaccounts "ghost" not found, secret "gone" not found]' }]);
  }));

test('hostPath type checks and creation', () =>
  withDir(async (dir) => {
    const f = fakeLookup();
    const file = join(dir, 'f');
    await writeFile(file, 'x');
    const r = await setUpPodVolumes(
      pod([
        { name: 'mk', hostPath: { path: join(dir, 'made/deep'), type: 'DirectoryOrCreate' } },
        { name: 'mkf', hostPath: { path: join(dir, 'newfile'), type: 'FileOrCreate' } },
        { name: 'file', hostPath: { path: file, type: 'File' } },
        { name: 'notdir', hostPath: { path: file, type: 'Directory' } },
        { name: 'sock', hostPath: { path: file, type: 'Socket' } },
        { name: 'any', hostPath: { path: join(dir, 'whatever') } },
      ]),
      dir,
      f.lookup,
      opts,
    );
    assert.ok((await stat(join(dir, 'made/deep'))).isDirectory());
    assert.ok((await stat(join(dir, 'newfile'))).isFile());
    assert.equal(r.volumes.get('file')?.hostPath, file);
    assert.equal(r.volumes.get('any')?.hostPath, join(dir, 'whatever'));
    assert.deepEqual(r.errors, [
      { volume: 'notdir', message: `MountVolume.SetUp failed for volume "notdir" : hostPath type check failed: ${file} is not a directory` },
      { volume: 'sock', message: `MountVolume.SetUp failed for volume "sock" : hostPath type check failed: ${file} is not a socket file` },
    ]);
  }));

test('a PVC mounts its bound hostPath PV; missing or unbound claims fail as upstream', () =>
  withDir(async (dir) => {
    const f = fakeLookup();
    const vols: Volume[] = [{ name: 'data', persistentVolumeClaim: { claimName: 'claim', readOnly: true } }];
    let r = await setUpPodVolumes(pod(vols), dir, f.lookup, opts);
    assert.deepEqual(r.errors, [
      {
        volume: 'data',
        message:
          'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC team/claim: failed to fetch PVC from API server: persistentvolumeclaims "claim" not found',
      },
    ]);
    f.pvcs.set('claim', { metadata: { name: 'claim', uid: 'c1' }, spec: {}, status: { phase: 'Pending' } });
    r = await setUpPodVolumes(pod(vols), dir, f.lookup, opts);
    assert.match(r.errors[0].message, /error processing PVC team\/claim: PVC is not bound$/);
    f.pvcs.set('claim', { metadata: { name: 'claim', uid: 'c1' }, spec: { volumeName: 'pv1' }, status: { phase: 'Bound' } });
    f.pvs.set('pv1', { metadata: { name: 'pv1' }, spec: { claimRef: { uid: 'c1' }, hostPath: { path: join(dir, 'pv1'), type: 'DirectoryOrCreate' } } });
    r = await setUpPodVolumes(pod(vols), dir, f.lookup, opts);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.volumes.get('data'), { name: 'data', hostPath: join(dir, 'pv1'), readOnly: true });
  }));

test('Memory emptyDir on its own tmpfs, secrets on the node-wide one (root only); teardown unmounts and removes', { skip: process.getuid?.() !== 0 }, () =>
  withDir(async (dir) => {
    const f = fakeLookup();
    f.secrets.set('s', { metadata: { name: 's' }, data: { k: b64('v') } });
    const vols: Volume[] = [
      { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
      { name: 's', secret: { secretName: 's' } },
    ];
    const memoryRoot = `${dir}-memory`; // beside the pod dir, as the kubelet's is
    await mountMemoryRoot(memoryRoot);
    await mountMemoryRoot(memoryRoot); // mounted once, however often asked
    const mountinfo = () => readFile('/proc/self/mountinfo', 'utf8');
    assert.equal((await mountinfo()).split('\n').filter((l) => l.split(' ')[4] === memoryRoot).length, 1);
    try {
      const p = pod(vols);
      const o = { ...opts, tmpfs: true, memoryRoot };
      const r = await setUpPodVolumes(p, dir, f.lookup, o);
      assert.deepEqual(r.errors, []);
      const mem = volumeDir(dir, 'emptyDir', 'mem');
      assert.equal(await isMountPoint(mem), true);
      assert.match(await mountinfo(), new RegExp(`${mem} .* tmpfs tmpfs \\S*size=16384k`));
      const secretDir = join(podMemoryDir(memoryRoot, p.metadata!.uid!), 'kubernetes.io~secret', 's');
      assert.equal(r.volumes.get('s')?.hostPath, secretDir);
      assert.equal(await readFile(join(secretDir, 'k'), 'utf8'), 'v');
      await setUpPodVolumes(p, dir, f.lookup, o);
      await tearDownPodVolumes(dir, podMemoryDir(memoryRoot, p.metadata!.uid!));
      assert.equal(await isMountPoint(mem), false);
      await assert.rejects(stat(join(dir, 'volumes')), { code: 'ENOENT' });
      await assert.rejects(stat(podMemoryDir(memoryRoot, p.metadata!.uid!)), { code: 'ENOENT' });
    } finally {
      execFileSync('umount', [memoryRoot]);
      await rm(memoryRoot, { recursive: true, force: true });
    }
  }));

test('Memory emptyDir size: smallest of node memory, pod limit and sizeLimit', () => {
  const v: Volume = { name: 'm', emptyDir: { medium: 'Memory' } };
  assert.equal(emptyDirMemorySize(pod([v]), v, { memory: '1Gi' }), 64 * 1024 * 1024);
  assert.equal(emptyDirMemorySize(pod([v]), { ...v, emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }, { memory: '1Gi' }), 8 * 1024 * 1024);
  const noLimit: Pod = { ...pod([v]), spec: { containers: [{ name: 'a' }] } };
  assert.equal(emptyDirMemorySize(noLimit, v, { memory: '1Gi' }), 1024 ** 3);
});

test('termination message file: fresh per instance, 0666, at the container path', () =>
  withDir(async (dir) => {
    await mkdir(dir, { recursive: true });
    const a = terminationMessageMount(dir, { name: 'app' });
    const b = terminationMessageMount(dir, { name: 'app', terminationMessagePath: '/tmp/msg' });
    assert.equal(a?.mount.containerPath, '/dev/termination-log');
    assert.equal(b?.mount.containerPath, '/tmp/msg');
    assert.notEqual(a?.hostPath, b?.hostPath);
    assert.equal((await stat(a!.hostPath)).mode & 0o777, 0o666);
  }));
