// A pod's volumes on the node (<podDir>/volumes/<plugin>/<name>) and the CRI mounts of its containers, as upstream's volume manager and plugins.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, open, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { join, posix, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ConfigMap, Container, DownwardAPIVolumeFile, KeyToPath, Pod, Secret, Volume } from 'kubernetes-types/core/v1';
import type { KeyValue, Mount, MountPropagation } from '../../cri/types';
import { tryParseQuantity } from '../../machinery/quantity';
import { writeAtomically, type FileProjection } from './atomic-writer';
import { extractFieldPathAsString, resourceFieldValue } from './downward-api';
import { expandSubPathExpr } from './env';
import { etcHostsMount } from './etc-hosts';
import type { ObjectLookup } from './object-lookup';
import { podMemoryLimitBytes } from './resources';

const run = promisify(execFile);

/** Plugin directory names under <podDir>/volumes, as upstream's escaped plugin names. */
export const PLUGIN_DIRS = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  projected: 'kubernetes.io~projected',
  downwardAPI: 'kubernetes.io~downward-api',
} as const;

/** The API's default file mode for configMap, secret, projected and downwardAPI volumes (0644). */
const DEFAULT_MODE = 0o644;

/** A volume ready on the node: where it is, and whether the plugin forces it read-only in containers. */
export interface MountedVolume {
  name: string;
  hostPath: string;
  readOnly: boolean;
}

/** A volume that could not be set up; `message` is the FailedMount event text as upstream words it. */
export interface VolumeError {
  volume: string;
  message: string;
}

/** The pod's volumes that are ready, and the ones that are not (the pod's containers must wait for those). */
export interface VolumeSetUpResult {
  volumes: Map<string, MountedVolume>;
  errors: VolumeError[];
}

/** Node facts and choices for volume set-up. */
export interface VolumeOptions {
  /** Node allocatable: memory caps Memory emptyDirs; every resource defaults unset limits for downward API files. */
  nodeAllocatable: Readonly<Record<string, string>>;
  /** Memory emptyDirs get a tmpfs of their own (they need one; mounting needs root); defaults to whether we are root. */
  tmpfs?: boolean;
  /**
   * A node-wide tmpfs (mountMemoryRoot) holding secret, projected and downwardAPI volumes, as <memoryRoot>/<pod uid>/<plugin>/<name>,
   * so their content never reaches disk (as upstream's tmpfs for them). Without it (not root) they live under the pod dir.
   */
  memoryRoot?: string;
}

const isRoot = () => process.getuid?.() === 0;

/** The volume's directory under the pod dir for plugins that keep data there. */
export function volumeDir(podDir: string, plugin: keyof typeof PLUGIN_DIRS, name: string): string {
  return join(podDir, 'volumes', PLUGIN_DIRS[plugin], name);
}

// Mount points from /proc/self/mountinfo (field 5, with octal escapes for spaces and the like).
async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[4].replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))));
}

/** Whether dir is a mount point. */
export async function isMountPoint(dir: string): Promise<boolean> {
  const abs = resolve(dir);
  return (await mountPoints()).includes(abs);
}

/** Where a pod's memory-backed volumes live on the node-wide tmpfs. */
export function podMemoryDir(memoryRoot: string, uid: string): string {
  return join(memoryRoot, uid);
}

/**
 * Mounts the node-wide tmpfs for secret, projected and downwardAPI volumes at `dir` unless it is mounted already (it
 * outlives a restart of tugboat, with the volumes of running pods on it). One mount at start instead of one per
 * volume: mount(8) cost ~10 ms of every pod start.
 */
export async function mountMemoryRoot(dir: string): Promise<void> {
  await ensureTmpfs(dir, undefined);
  await chmod(dir, 0o700);
}

async function ensureTmpfs(dir: string, sizeBytes: number | undefined): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  if (await isMountPoint(dir)) return;
  const opts = sizeBytes ? ['-o', `size=${sizeBytes}`] : [];
  await run('mount', ['-t', 'tmpfs', ...opts, 'tmpfs', dir]);
}

const units = (v: string | undefined) => (v === undefined ? undefined : Number(tryParseQuantity(v)?.value() ?? 0n) || undefined);

/** Size of a Memory emptyDir: the smallest of node allocatable memory, the pod's memory limit and the volume's sizeLimit (upstream calculateEmptyDirMemorySize). */
export function emptyDirMemorySize(pod: Pod, vol: Volume, nodeAllocatable: Readonly<Record<string, string>>): number | undefined {
  let size = units(nodeAllocatable.memory);
  const min = (v: number | undefined) => {
    if (v && v > 0 && (size === undefined || v <= size)) size = v;
  };
  min(podMemoryLimitBytes(pod));
  min(units(vol.emptyDir?.sizeLimit));
  return size;
}

// upstream SetVolumeOwnership for a writable volume: group-own everything by fsGroup, add group read/write, setgid on directories.
async function setVolumeOwnership(dir: string, fsGroup: number): Promise<void> {
  const walk = async (p: string): Promise<void> => {
    const st = await lstat(p);
    if (st.isSymbolicLink()) return;
    await chown(p, -1, fsGroup);
    let mask = 0o660;
    if (st.isDirectory()) mask |= 0o2110;
    await chmod(p, (st.mode & 0o7777) | mask);
    if (st.isDirectory()) for (const e of await readdir(p)) await walk(join(p, e));
  };
  await walk(dir);
}

const b64 = (s: string) => Buffer.from(s, 'base64');

/** configMap/secret data → files (upstream MakePayload): all keys, or the listed items; a missing item key fails unless optional. */
function keyPayload(
  data: Record<string, Buffer>,
  items: readonly KeyToPath[] | undefined,
  defaultMode: number,
  optional: boolean,
  what: 'configmap references non-existent config key' | 'references non-existent secret key',
): Map<string, FileProjection> {
  const out = new Map<string, FileProjection>();
  if (!items?.length) {
    for (const [k, v] of Object.entries(data)) out.set(k, { data: v, mode: defaultMode });
    return out;
  }
  for (const it of items) {
    if (!(it.key in data)) {
      if (optional) continue;
      throw new Error(`${what}: ${it.key}`);
    }
    out.set(it.path, { data: data[it.key], mode: it.mode ?? defaultMode });
  }
  return out;
}

const configMapData = (cm: ConfigMap | undefined): Record<string, Buffer> => ({
  ...Object.fromEntries(Object.entries(cm?.data ?? {}).map(([k, v]) => [k, Buffer.from(v)])),
  ...Object.fromEntries(Object.entries(cm?.binaryData ?? {}).map(([k, v]) => [k, b64(v)])),
});
const secretData = (s: Secret | undefined): Record<string, Buffer> => Object.fromEntries(Object.entries(s?.data ?? {}).map(([k, v]) => [k, b64(v)]));

/** Downward API items → files (upstream downwardapi.CollectData): metadata fields and container resources. */
function downwardPayload(pod: Pod, items: readonly DownwardAPIVolumeFile[] | undefined, defaultMode: number, nodeAllocatable: Readonly<Record<string, string>>): Map<string, FileProjection> {
  const out = new Map<string, FileProjection>();
  for (const it of items ?? []) {
    let value = '';
    if (it.fieldRef) value = extractFieldPathAsString(pod, it.fieldRef.fieldPath);
    else if (it.resourceFieldRef) value = resourceFieldValue(it.resourceFieldRef, pod, undefined, nodeAllocatable);
    out.set(posix.normalize(it.path), { data: Buffer.from(value), mode: it.mode ?? defaultMode });
  }
  return out;
}

async function getConfigMap(lookup: ObjectLookup, ns: string, name: string, optional: boolean): Promise<ConfigMap | undefined> {
  const cm = await lookup.getConfigMap(ns, name);
  if (!cm && !optional) throw new Error(`configmap ${JSON.stringify(name)} not found`);
  return cm;
}

async function getSecret(lookup: ObjectLookup, ns: string, name: string, optional: boolean): Promise<Secret | undefined> {
  const s = await lookup.getSecret(ns, name);
  if (!s && !optional) throw new Error(`secret ${JSON.stringify(name)} not found`);
  return s;
}

// Several source errors read as upstream's aggregate: one error alone, else "[a, b]".
const aggregate = (errs: string[]) => (errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);

/** Projected sources → one payload (upstream projected collectData); every failing source is reported, together. */
async function projectedPayload(pod: Pod, vol: Volume, lookup: ObjectLookup, opts: VolumeOptions): Promise<Map<string, FileProjection>> {
  const src = vol.projected!;
  const ns = pod.metadata?.namespace ?? '';
  const defaultMode = src.defaultMode ?? DEFAULT_MODE;
  const fsGroup = pod.spec?.securityContext?.fsGroup;
  const out = new Map<string, FileProjection>();
  const errs: string[] = [];
  for (const s of src.sources ?? []) {
    try {
      let part = new Map<string, FileProjection>();
      if (s.configMap) {
        const cm = await getConfigMap(lookup, ns, s.configMap.name ?? '', s.configMap.optional === true);
        part = keyPayload(configMapData(cm), s.configMap.items, defaultMode, s.configMap.optional === true, 'configmap references non-existent config key');
      } else if (s.secret) {
        const sec = await getSecret(lookup, ns, s.secret.name ?? '', s.secret.optional === true);
        part = keyPayload(secretData(sec), s.secret.items, defaultMode, s.secret.optional === true, 'references non-existent secret key');
      } else if (s.downwardAPI) {
        part = downwardPayload(pod, s.downwardAPI.items, defaultMode, opts.nodeAllocatable);
      } else if (s.serviceAccountToken) {
        const t = s.serviceAccountToken;
        const token = await lookup.getServiceAccountToken({
          namespace: ns,
          serviceAccount: pod.spec?.serviceAccountName || 'default',
          audience: t.audience,
          expirationSeconds: t.expirationSeconds ?? 3600,
          podName: pod.metadata?.name ?? '',
          podUid: pod.metadata?.uid ?? '',
        });
        // With an fsGroup the token starts owner-only; ownership then adds group read (upstream).
        part.set(t.path, { data: Buffer.from(token), mode: fsGroup !== undefined && fsGroup !== null ? 0o600 : defaultMode });
      } else {
        throw new Error('unsupported projected volume source (only configMap, secret, downwardAPI and serviceAccountToken are)');
      }
      for (const [k, v] of part) out.set(k, v);
    } catch (e) {
      errs.push((e as Error).message);
    }
  }
  if (errs.length) throw new Error(aggregate(errs));
  return out;
}

// upstream hostPath checkType: the *OrCreate types create what is missing, then every type checks what is there.
async function checkHostPathType(path: string, type: string | undefined): Promise<void> {
  if (!type) return;
  let st = await stat(path).catch(() => undefined);
  if (!st && type === 'DirectoryOrCreate') {
    await mkdir(path, { recursive: true, mode: 0o755 });
    st = await stat(path);
  }
  if (!st && type === 'FileOrCreate') {
    await (await open(path, 'a', 0o644)).close();
    st = await stat(path);
  }
  const checks: Record<string, [boolean | undefined, string]> = {
    DirectoryOrCreate: [st?.isDirectory(), 'a directory'],
    Directory: [st?.isDirectory(), 'a directory'],
    FileOrCreate: [st?.isFile(), 'a file'],
    File: [st?.isFile(), 'a file'],
    Socket: [st?.isSocket(), 'a socket file'],
    CharDevice: [st?.isCharacterDevice(), 'a character device'],
    BlockDevice: [st?.isBlockDevice(), 'a block device'],
  };
  const check = checks[type];
  if (!check) throw new Error(`${type} is an invalid volume type`);
  if (!check[0]) throw new Error(`hostPath type check failed: ${path} is not ${check[1]}`);
}

/** Thrown while resolving a PVC; the message is the tail of upstream's "failed to process volumes" event. */
class ClaimError extends Error {}

// upstream desired_state_of_world_populator getPVCExtractPV + getPVSpec, for the hostPath and local PVs this node can mount.
async function claimedHostPath(pod: Pod, vol: Volume, lookup: ObjectLookup): Promise<{ path: string; type?: string; readOnly: boolean }> {
  const ns = pod.metadata?.namespace ?? '';
  const claim = vol.persistentVolumeClaim!.claimName;
  const fail = (why: string) => new ClaimError(`error processing PVC ${ns}/${claim}: ${why}`);
  const pvc = await lookup.getPersistentVolumeClaim(ns, claim).catch((e: Error) => {
    throw fail(`failed to fetch PVC from API server: ${e.message}`);
  });
  if (!pvc) throw fail(`failed to fetch PVC from API server: persistentvolumeclaims ${JSON.stringify(claim)} not found`);
  if (pvc.metadata?.deletionTimestamp) throw fail('PVC is being deleted');
  if (pvc.status?.phase !== 'Bound') throw fail('PVC is not bound');
  const pvName = pvc.spec?.volumeName;
  if (!pvName) throw fail('PVC has empty pvc.Spec.VolumeName');
  const pv = await lookup.getPersistentVolume(pvName);
  if (!pv) throw fail(`failed to fetch PV ${pvName} from API server: persistentvolumes ${JSON.stringify(pvName)} not found`);
  if (pv.spec?.claimRef?.uid && pv.spec.claimRef.uid !== pvc.metadata?.uid) {
    throw fail(`found PV object ${JSON.stringify(pvName)} but its spec.claimRef does not point to this PVC`);
  }
  const readOnly = vol.persistentVolumeClaim!.readOnly === true;
  if (pv.spec?.hostPath) return { path: pv.spec.hostPath.path, type: pv.spec.hostPath.type, readOnly };
  if (pv.spec?.local) return { path: pv.spec.local.path, readOnly };
  throw fail(`PV ${pvName} has no volume source this node can mount (hostPath or local)`);
}

const CONTENT_KINDS = ['configMap', 'secret', 'projected', 'downwardAPI'] as const;
const isContentVolume = (v: Volume) => CONTENT_KINDS.some((k) => v[k]);

/** Sets up one volume and returns where it is. */
async function setUpVolume(pod: Pod, podDir: string, vol: Volume, lookup: ObjectLookup, opts: VolumeOptions): Promise<MountedVolume> {
  const ns = pod.metadata?.namespace ?? '';
  const fsGroup = pod.spec?.securityContext?.fsGroup ?? undefined;
  const tmpfs = opts.tmpfs ?? isRoot();
  const content = async (plugin: keyof typeof PLUGIN_DIRS, payload: Map<string, FileProjection>, memory: boolean) => {
    const dir = memory && opts.memoryRoot ? join(podMemoryDir(opts.memoryRoot, pod.metadata?.uid ?? ''), PLUGIN_DIRS[plugin], vol.name) : volumeDir(podDir, plugin, vol.name);
    // With an fsGroup the files are group-owned and group-readable (upstream SetVolumeOwnership on a read-only volume).
    const files = fsGroup === undefined ? payload : new Map([...payload].map(([k, f]) => [k, { data: f.data, mode: f.mode | 0o440 }]));
    await writeAtomically(dir, files, { fsGroup });
    return { name: vol.name, hostPath: dir, readOnly: true };
  };
  if (vol.emptyDir) {
    const dir = volumeDir(podDir, 'emptyDir', vol.name);
    const memory = vol.emptyDir.medium === 'Memory';
    // Set up once (upstream's ready marker): later syncs leave the directory and what containers did to it alone.
    if (memory ? await isMountPoint(dir) : await stat(dir).then(() => true, () => false)) return { name: vol.name, hostPath: dir, readOnly: false };
    if (memory) {
      if (!tmpfs) throw new Error('emptyDir with medium Memory needs tmpfs mounts (run as root)');
      await ensureTmpfs(dir, emptyDirMemorySize(pod, vol, opts.nodeAllocatable));
    } else await mkdir(dir, { recursive: true });
    // Any user of any container may write an emptyDir.
    await chmod(dir, 0o777);
    if (fsGroup !== undefined) await setVolumeOwnership(dir, fsGroup);
    return { name: vol.name, hostPath: dir, readOnly: false };
  }
  if (vol.configMap) {
    const src = vol.configMap;
    const cm = await getConfigMap(lookup, ns, src.name ?? '', src.optional === true);
    return content('configMap', keyPayload(configMapData(cm), src.items, src.defaultMode ?? DEFAULT_MODE, src.optional === true, 'configmap references non-existent config key'), false);
  }
  if (vol.secret) {
    const src = vol.secret;
    const s = await getSecret(lookup, ns, src.secretName ?? '', src.optional === true);
    return content('secret', keyPayload(secretData(s), src.items, src.defaultMode ?? DEFAULT_MODE, src.optional === true, 'references non-existent secret key'), true);
  }
  if (vol.downwardAPI) {
    return content('downwardAPI', downwardPayload(pod, vol.downwardAPI.items, vol.downwardAPI.defaultMode ?? DEFAULT_MODE, opts.nodeAllocatable), true);
  }
  if (vol.projected) return content('projected', await projectedPayload(pod, vol, lookup, opts), true);
  if (vol.hostPath) {
    await checkHostPathType(vol.hostPath.path, vol.hostPath.type);
    return { name: vol.name, hostPath: vol.hostPath.path, readOnly: false };
  }
  if (vol.persistentVolumeClaim) {
    const pv = await claimedHostPath(pod, vol, lookup);
    await checkHostPathType(pv.path, pv.type);
    return { name: vol.name, hostPath: pv.path, readOnly: pv.readOnly };
  }
  throw new Error('unsupported volume type (tugboat supports emptyDir, configMap, secret, projected, downwardAPI, hostPath and persistentVolumeClaim)');
}

async function setUp(pod: Pod, podDir: string, lookup: ObjectLookup, opts: VolumeOptions, only: (v: Volume) => boolean): Promise<VolumeSetUpResult> {
  const volumes = new Map<string, MountedVolume>();
  const errors: VolumeError[] = [];
  await Promise.all(
    (pod.spec?.volumes ?? []).filter(only).map(async (vol) => {
      try {
        volumes.set(vol.name, await setUpVolume(pod, podDir, vol, lookup, opts));
      } catch (e) {
        const msg = (e as Error).message;
        errors.push({
          volume: vol.name,
          message:
            e instanceof ClaimError
              ? `Unable to attach or mount volumes: unmounted volumes=[${vol.name}], unattached volumes=[], failed to process volumes=[${vol.name}]: ${msg}`
              : `MountVolume.SetUp failed for volume ${JSON.stringify(vol.name)} : ${msg}`,
        });
      }
    }),
  );
  errors.sort((a, b) => a.volume.localeCompare(b.volume));
  return { volumes, errors };
}

/**
 * Materialises every volume of the pod under <podDir>/volumes; idempotent, so the kubelet calls it on every sync.
 * Failing volumes are returned as errors (FailedMount events) and the rest still set up.
 */
export function setUpPodVolumes(pod: Pod, podDir: string, lookup: ObjectLookup, opts: VolumeOptions): Promise<VolumeSetUpResult> {
  return setUp(pod, podDir, lookup, opts, () => true);
}

/** Re-syncs configMap, secret, projected and downwardAPI content in place (the kubelet calls it every ~10 s for running pods). */
export function refreshPodVolumes(pod: Pod, podDir: string, lookup: ObjectLookup, opts: VolumeOptions): Promise<VolumeSetUpResult> {
  return setUp(pod, podDir, lookup, opts, isContentVolume);
}

/**
 * Unmounts every tmpfs under the pod dir and removes <podDir>/volumes and the pod's memory-backed volumes (`memoryDir`,
 * podMemoryDir); throws (keeping the files) if something stays mounted.
 */
export async function tearDownPodVolumes(podDir: string, memoryDir?: string): Promise<void> {
  const root = resolve(podDir) + '/';
  const under = async () => (await mountPoints()).filter((m) => m.startsWith(root)).sort((a, b) => b.length - a.length);
  for (const m of await under()) await run('umount', [m]).catch(() => run('umount', ['-l', m]));
  const left = await under();
  if (left.length) throw new Error(`still mounted: ${left.join(' ')}`);
  await rm(join(podDir, 'volumes'), { recursive: true, force: true });
  if (memoryDir) await rm(memoryDir, { recursive: true, force: true });
}

function propagation(mode: string | undefined): MountPropagation {
  switch (mode ?? 'None') {
    case 'None':
      return 'PROPAGATION_PRIVATE';
    case 'HostToContainer':
      return 'PROPAGATION_HOST_TO_CONTAINER';
    case 'Bidirectional':
      return 'PROPAGATION_BIDIRECTIONAL';
  }
  throw new Error(`invalid MountPropagation mode: ${JSON.stringify(mode)}`);
}

/** Resolves a subPath inside a volume without letting symlinks lead out of it; creates it as a directory when missing (upstream makeMounts). */
async function safeSubPath(volumePath: string, subPath: string, mountName: string, containerName: string): Promise<string> {
  if (subPath.startsWith('/')) throw new Error(`error SubPath \`${subPath}\` must not be an absolute path`);
  if (subPath.split('/').includes('..')) throw new Error(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  const base = await realpath(volumePath);
  const target = join(base, subPath);
  const inside = (p: string) => p === base || !relative(base, p).startsWith('..');
  try {
    await lstat(target);
  } catch {
    const mode = (await stat(base)).mode & 0o7777;
    await mkdir(target, { recursive: true, mode });
  }
  const real = await realpath(target);
  if (!inside(real)) throw new Error(`failed to prepare subPath for volumeMount ${JSON.stringify(mountName)} of container ${JSON.stringify(containerName)}`);
  return real;
}

/** Where containerMounts finds what it adds beside the volumes. */
export interface ContainerMountOptions {
  /** The container's resolved environment, for subPathExpr. */
  envs?: readonly KeyValue[];
  /** The pod's managed hosts file (etc-hosts.ts), mounted at /etc/hosts unless the container mounts something there. */
  etcHostsPath?: string;
}

/** The container's CRI mounts from its volumeMounts (readOnly, subPath/subPathExpr, mountPropagation) plus /etc/hosts; throws upstream's messages. */
export async function containerMounts(pod: Pod, container: Container, volumes: ReadonlyMap<string, MountedVolume>, opts: ContainerMountOptions = {}): Promise<Mount[]> {
  const mounts: Mount[] = [];
  let etcHosts = opts.etcHostsPath !== undefined;
  for (const vm of container.volumeMounts ?? []) {
    if (vm.mountPath === '/etc/hosts') etcHosts = false;
    const vol = volumes.get(vm.name);
    if (!vol) throw new Error(`cannot find volume ${JSON.stringify(vm.name)} to mount into container ${JSON.stringify(container.name)}`);
    const subPath = vm.subPathExpr ? expandSubPathExpr(vm, opts.envs ?? []) : (vm.subPath ?? '');
    const hostPath = subPath ? await safeSubPath(vol.hostPath, subPath, vm.name, container.name) : vol.hostPath;
    mounts.push({
      containerPath: vm.mountPath.startsWith('/') ? vm.mountPath : `/${vm.mountPath}`,
      hostPath,
      readonly: vm.readOnly === true || vol.readOnly,
      selinuxRelabel: false,
      propagation: propagation(vm.mountPropagation),
    });
  }
  if (etcHosts) mounts.push(etcHostsMount(opts.etcHostsPath!));
  return mounts;
}

/**
 * Creates a fresh termination message file for a new container instance (<podDir>/containers/<name>/<id>, mode 0666)
 * and its mount, as upstream kuberuntime. Synchronous, as the pod's other small files: it is on every container start's
 * path, and three calls through the thread pool (shared with the store's WAL syncs) took ~5 ms against ~0.2 here.
 */
export function terminationMessageMount(podDir: string, container: Container): { mount: Mount; hostPath: string } | undefined {
  const target = container.terminationMessagePath ?? '/dev/termination-log';
  if (!target) return undefined;
  const dir = join(podDir, 'containers', container.name);
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const hostPath = join(dir, randomBytes(4).toString('hex'));
  closeSync(openSync(hostPath, 'w'));
  chmodSync(hostPath, 0o666); // whatever the umask
  return { hostPath, mount: { containerPath: target, hostPath, readonly: false, selinuxRelabel: false, propagation: 'PROPAGATION_PRIVATE' } };
}
