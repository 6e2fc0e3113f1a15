// The pod parts (env, volumes, /etc/hosts, DNS, security, resources, probes) on a real containerd with the busybox test image.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConfigMap, Container, Pod } from 'kubernetes-types/core/v1';
import type { CriRequest, PodSandboxConfig } from '../../cri/types';
import { BUSYBOX_IMAGE, BUSYBOX_NONROOT_IMAGE } from '../../images/names';
import { runtimeSkipReason, startTestRuntime, type TestRuntime } from '../cri/testing';
import { podDNSConfig } from './dns';
import { resolveEnv } from './env';
import { ensureEtcHosts, sandboxHostname } from './etc-hosts';
import type { ObjectLookup } from './object-lookup';
import { sandboxSeccomp } from './pause-seccomp';
import { runProbe } from './probes';
import { detectCgroupLayout, ensurePodCgroup, removePodCgroup, swapControllerAvailable } from './pod-cgroup';
import { containerResources, podCgroupParent, podResourceConfig } from './resources';
import { containerSecurityContext, imageUser, sandboxLinuxConfig, verifyRunAsNonRoot } from './security';
import { containerMounts, refreshPodVolumes, setUpPodVolumes, tearDownPodVolumes, type MountedVolume } from './volumes';

const MI = 1024 * 1024;
const cgroups = detectCgroupLayout();
// Full messages (with null for unset message fields) sent as requests, as the kubelet does.
const req = <T>(m: T) => m as unknown as CriRequest<T>;

describe('pod parts on a real containerd', { skip: runtimeSkipReason() }, () => {
  let rt: TestRuntime;
  let podDir: string;
  let volumes: Map<string, MountedVolume>;
  let sandboxId = '';
  let sandboxConfig: CriRequest<PodSandboxConfig>;
  let podIP = '';
  const cms = new Map<string, ConfigMap>([['cfg', { metadata: { name: 'cfg' }, data: { key: 'v1' } }]]);
  const lookup: ObjectLookup = {
    getConfigMap: async (_ns, name) => cms.get(name),
    getSecret: async () => undefined,
    getPersistentVolumeClaim: async () => undefined,
    getPersistentVolume: async () => undefined,
    getServiceAccountToken: async (s) => `token-for-${s.podName}`,
  };
  const check: Container = {
    name: 'check',
    image: BUSYBOX_IMAGE,
    env: [
      { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'key' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ],
    resources: { requests: { cpu: '100m', memory: '16Mi' }, limits: { cpu: '500m', memory: '32Mi' } },
    securityContext: { runAsUser: 65534, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
    volumeMounts: [
      { name: 'cfg', mountPath: '/cfg' },
      { name: 'scratch', mountPath: '/scratch' },
      { name: 'mem', mountPath: '/mem' },
      { name: 'api', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ],
  };
  const server: Container = {
    name: 'server',
    image: BUSYBOX_IMAGE,
    ports: [{ name: 'http', containerPort: 8080 }],
    volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
  };
  const pod: Pod = {
    metadata: { name: 'parts', namespace: 'team', uid: `parts-${process.pid}` },
    spec: {
      subdomain: 'web',
      securityContext: { supplementalGroups: [3000] },
      containers: [check, server],
      volumes: [
        { name: 'cfg', configMap: { name: 'cfg' } },
        { name: 'scratch', emptyDir: {} },
        { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } },
        { name: 'api', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } },
      ],
    },
  };

  async function start(c: Container, command: string[]): Promise<string> {
    const envs = await resolveEnv(pod, c, lookup, { podIPs: [podIP], hostIPs: ['192.0.2.1'], nodeAllocatable: { cpu: '2', memory: '4Gi' } });
    const mounts = await containerMounts(pod, c, volumes, { envs, etcHostsPath: join(podDir, 'etc-hosts') });
    const image = (await rt.cri.imageStatus({ image: { image: c.image! } })).image;
    const { containerId } = await rt.cri.createContainer({
      podSandboxId: sandboxId,
      sandboxConfig,
      config: {
        metadata: { name: c.name },
        image: { image: c.image! },
        command,
        envs,
        mounts,
        logPath: `${c.name}/0.log`,
        linux: { resources: req(containerResources(pod, c, 4096 * MI, { v2: cgroups.v2, swapControllerAvailable: swapControllerAvailable(cgroups) })), securityContext: req(containerSecurityContext(pod, c, imageUser(image))) },
      },
    });
    await rt.cri.startContainer({ containerId });
    return containerId;
  }

  before(async () => {
    rt = await startTestRuntime();
    podDir = mkdtempSync(join(tmpdir(), 'tugboat-parts-'));
    const r = await setUpPodVolumes(pod, podDir, lookup, { nodeAllocatable: { memory: '4Gi' } });
    assert.deepEqual(r.errors, []);
    volumes = r.volumes;
    const dns = podDNSConfig(pod, { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', host: { servers: [], searches: ['example.org'], options: [] } });
    sandboxConfig = {
      metadata: { name: 'parts', namespace: 'team', uid: pod.metadata!.uid! },
      hostname: sandboxHostname(pod, 'cluster.local'),
      logDirectory: join(rt.dataDir, 'pods', 'parts'),
      dnsConfig: dns.config,
      linux: req(sandboxLinuxConfig(pod, podCgroupParent(pod), sandboxSeccomp(rt.dataDir))),
    };
    mkdirSync(sandboxConfig.logDirectory!, { recursive: true });
    ensurePodCgroup(cgroups, podCgroupParent(pod), podResourceConfig(pod));
    sandboxId = (await rt.cri.runPodSandbox({ config: sandboxConfig })).podSandboxId;
    podIP = (await rt.cri.podSandboxStatus({ podSandboxId: sandboxId })).status!.network!.ip;
    ensureEtcHosts(podDir, pod, [podIP], 'cluster.local');
  });

  after(async () => {
    await rt?.cleanup();
    if (podDir) {
      await tearDownPodVolumes(podDir);
      rmSync(podDir, { recursive: true, force: true });
    }
    assert.equal(await removePodCgroup(cgroups, podCgroupParent(pod)), true, 'pod cgroup removed once its containers are gone');
  });

  it('runs a container with its env, mounts, hosts, DNS, user, capabilities, read-only root and limits', async () => {
    const script = [
      'id -u; id -G',
      'echo "$GREETING $POD_IP"',
      'cat /cfg/key; echo',
      'grep parts /etc/hosts',
      'cat /etc/resolv.conf',
      'hostname',
      'touch /rootfs 2>/dev/null && echo rootfs-rw || echo rootfs-ro',
      'echo written > /scratch/f && cat /scratch/f',
      "df -k /mem | tail -1 | awk '{print \"mem \" $2}'",
      'cat /var/run/secrets/kubernetes.io/serviceaccount/token; echo',
      'grep -E "^(CapEff|CapBnd|NoNewPrivs)" /proc/self/status',
      'cat /proc/self/oom_score_adj',
      'grep :memory: /proc/self/cgroup',
      'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares',
      'cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes 2>/dev/null || echo no-memsw',
    ].join('; ');
    const id = await start(check, ['sh', '-c', script]);
    for (let i = 0; ; i++) {
      const st = (await rt.cri.containerStatus({ containerId: id })).status!;
      if (st.state === 'CONTAINER_EXITED') break;
      assert.ok(i < 100, 'container exits');
      await new Promise((r) => setTimeout(r, 100));
    }
    const log = readFileSync(join(sandboxConfig.logDirectory!, 'check/0.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ').slice(3).join(' '));
    const burstable = 1000 - Math.trunc((1000 * 16 * MI) / (4096 * MI));
    assert.deepEqual(log, [
      '65534',
      '65534 3000',
      `v1 ${podIP}`,
      'v1',
      `${podIP}\tparts.web.team.svc.cluster.local\tparts`,
      'search team.svc.cluster.local svc.cluster.local cluster.local example.org',
      'nameserver 10.96.0.10',
      'options ndots:5',
      'parts',
      'rootfs-ro',
      'written',
      'mem 8192',
      'token-for-parts',
      'CapEff:\t0000000000000000',
      // drop ALL then add NET_BIND_SERVICE (bit 10) leaves only that in the bounding set
      'CapBnd:\t0000000000000400',
      'NoNewPrivs:\t1',
      String(burstable),
      `4:memory:/kubepods/burstable/pod${pod.metadata!.uid}/${id}`,
      String(32 * MI),
      '50000',
      '102',
      // NoSwap: memory+swap pinned to the memory limit where the kernel accounts swap
      swapControllerAvailable(cgroups) ? String(32 * MI) : 'no-memsw',
    ]);
    // The pod cgroup above it carries the pod's shares (requests of both containers: 100m).
    if (!cgroups.v2) assert.equal(readFileSync(`/sys/fs/cgroup/cpu/kubepods/burstable/pod${pod.metadata!.uid}/cpu.shares`, 'utf8').trim(), '102');
  });

  it('probes a running container; a ConfigMap update lands in its mounted files', async () => {
    const id = await start(server, ['sh', '-c', 'mkdir -p /www && echo up > /www/index.html && exec httpd -f -p 8080 -h /www']);
    const target = { container: server, containerId: id, podIP, cri: rt.cri };
    const deadline = Date.now() + 10_000;
    while ((await runProbe({ tcpSocket: { port: 'http' } }, target)).result !== 'success') {
      assert.ok(Date.now() < deadline, 'httpd listens');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(await runProbe({ httpGet: { port: 8080, path: '/' } }, target), { result: 'success', output: 'up\n' });
    assert.deepEqual(await runProbe({ httpGet: { port: 8080, path: '/missing' } }, target), { result: 'failure', output: 'HTTP probe failed with statuscode: 404' });
    assert.equal((await runProbe({ tcpSocket: { port: 8081 } }, target)).output, `dial tcp ${podIP}:8081: connect: connection refused`);
    assert.deepEqual(await runProbe({ exec: { command: ['cat', '/cfg/key'] } }, target), { result: 'success', output: 'v1' });
    assert.deepEqual(await runProbe({ exec: { command: ['sh', '-c', 'echo bad; exit 3'] } }, target), { result: 'failure', output: 'bad\n' });
    assert.deepEqual(await runProbe({ exec: { command: ['sleep', '5'] }, timeoutSeconds: 1 }, target), { result: 'failure', output: 'command "sleep 5" timed out' });

    cms.set('cfg', { metadata: { name: 'cfg' }, data: { key: 'v2' } });
    assert.deepEqual((await refreshPodVolumes(pod, podDir, lookup, { nodeAllocatable: { memory: '4Gi' } })).errors, []);
    assert.deepEqual(await runProbe({ exec: { command: ['cat', '/cfg/key'] } }, target), { result: 'success', output: 'v2' });
  });

  it('runAsNonRoot is checked against the image user from ImageStatus', async () => {
    const c: Container = { name: 'c', securityContext: { runAsNonRoot: true } };
    const rootImage = imageUser((await rt.cri.imageStatus({ image: { image: BUSYBOX_IMAGE } })).image);
    const nobodyImage = imageUser((await rt.cri.imageStatus({ image: { image: BUSYBOX_NONROOT_IMAGE } })).image);
    assert.equal(verifyRunAsNonRoot(pod, c, rootImage), `container has runAsNonRoot and image will run as root (pod: "parts_team(${pod.metadata!.uid})", container: c)`);
    assert.deepEqual(nobodyImage, { uid: 65534, username: '' });
    assert.equal(verifyRunAsNonRoot(pod, c, nobodyImage), undefined);
  });
});
