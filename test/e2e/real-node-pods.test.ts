// e2e on a real node (containerd): logs, exec, pod networking, init containers, sidecars, volumes, env, security, termination.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { CriClient } from '../../src/cri/client';
import {
  BUSYBOX,
  BUSYBOX_NONROOT,
  containerStatus,
  eventsFor,
  getPod,
  hostDir,
  realNodeSkipReason,
  sh,
  runningAndReady,
  podsIn,
  startRealClusterWith,
  until,
  waitPod,
  type RealCluster,
} from '../support/real-node';

/* eslint-disable @typescript-eslint/no-explicit-any */

const skip = realNodeSkipReason();
const NS = 'rn-pods';
let c: RealCluster;
const host = hostDir('rn-pods');

const pod = podsIn(NS);
/** web's hostPort: one per test process, so parallel runs on one machine do not collide. */
const HOST_PORT = 31_000 + (process.pid % 1000);

/** GET from the node itself (not a pod): the body, or the error. */
function getFromNode(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = get(url, { timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve(e.message));
  });
}

/** Every pod of this file, created at once so they start in parallel; each test then waits for its own. */
function manifests(): object[] {
  return [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: NS }, stringData: { password: 's3cr3t-value' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: NS }, data: { mode: 'blue', greeting: 'hi' } },
    pod('echo', { restartPolicy: 'Never', containers: [sh('echo', 'echo hello from tugboat; echo second line')] }),
    pod('sleeper', { containers: [sh('main', 'sleep 3600')], terminationGracePeriodSeconds: 1 }),
    pod('shared-pid', { shareProcessNamespace: true, containers: [sh('main', 'sleep 3600')], terminationGracePeriodSeconds: 1 }),
    pod('web', {
      terminationGracePeriodSeconds: 1,
      containers: [sh('httpd', 'mkdir -p /www && echo pong from web > /www/index.html && exec httpd -f -p 8080 -h /www', { ports: [{ containerPort: 8080, hostPort: HOST_PORT }] })],
    }),
    pod('init-demo', {
      terminationGracePeriodSeconds: 1,
      volumes: [{ name: 'work', emptyDir: {} }, { name: 'mem', emptyDir: { medium: 'Memory' } }],
      initContainers: [
        sh('first', 'echo first > /work/msg', { volumeMounts: [{ name: 'work', mountPath: '/work' }] }),
        sh('second', 'test -f /work/msg && echo second >> /work/msg', { volumeMounts: [{ name: 'work', mountPath: '/work' }] }),
      ],
      containers: [
        sh('app', 'cat /work/msg; exec sleep 3600', {
          volumeMounts: [
            { name: 'work', mountPath: '/work' },
            { name: 'mem', mountPath: '/mem' },
          ],
        }),
      ],
    }),
    pod('sidecar', {
      terminationGracePeriodSeconds: 1,
      volumes: [{ name: 'shared', emptyDir: {} }],
      initContainers: [
        sh('counter', 'i=0; while true; do i=$((i+1)); echo $i > /shared/count; sleep 0.3; done', {
          restartPolicy: 'Always',
          volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
        }),
      ],
      containers: [sh('app', 'exec sleep 3600', { volumeMounts: [{ name: 'shared', mountPath: '/shared' }] })],
    }),
    pod('secret-reader', {
      terminationGracePeriodSeconds: 1,
      volumes: [
        { name: 'creds', secret: { secretName: 'creds' } },
        { name: 'settings', configMap: { name: 'settings' } },
      ],
      containers: [
        sh('main', 'exec sleep 3600', {
          volumeMounts: [
            { name: 'creds', mountPath: '/etc/creds', readOnly: true },
            { name: 'settings', mountPath: '/etc/settings' },
          ],
        }),
      ],
    }),
    pod('env-demo', {
      restartPolicy: 'Never',
      containers: [
        sh('main', 'echo "plain=$PLAIN pod=$MY_POD ns=$MY_NS ip=$MY_IP mem=$MEM_LIMIT pw=$PW mode=$MODE greeting=$CFG_greeting"', {
          resources: { limits: { memory: '64Mi' } },
          env: [
            { name: 'PLAIN', value: 'value-1' },
            { name: 'MY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'MY_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'MEM_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
            { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
          ],
          envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings' } }],
        }),
      ],
    }),
    pod('root-refused', { containers: [sh('main', 'sleep 3600', { securityContext: { runAsNonRoot: true } })] }),
    pod('nonroot-ok', {
      terminationGracePeriodSeconds: 1,
      securityContext: { runAsNonRoot: true },
      containers: [{ name: 'main', image: BUSYBOX_NONROOT, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
    }),
    pod('locked-down', {
      terminationGracePeriodSeconds: 1,
      securityContext: { runAsUser: 1000, runAsGroup: 3000 },
      containers: [sh('main', 'exec sleep 3600', { securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } })],
    }),
    pod('graceful', {
      terminationGracePeriodSeconds: 20,
      volumes: [{ name: 'host', hostPath: { path: host.path, type: 'Directory' } }],
      containers: [
        sh('main', 'trap "echo TERM >> /host/graceful; exit 0" TERM; echo started >> /host/graceful; while true; do sleep 0.2; done', {
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
          lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo preStop >> /host/graceful'] } } },
        }),
      ],
    }),
    pod('stubborn', {
      terminationGracePeriodSeconds: 3,
      volumes: [{ name: 'host', hostPath: { path: host.path, type: 'Directory' } }],
      containers: [
        sh('main', 'trap "" TERM; echo started >> /host/stubborn; while true; do sleep 0.2; done', { volumeMounts: [{ name: 'host', mountPath: '/host' }] }),
      ],
    }),
  ];
}

describe('real node: pods', { skip }, () => {
  before(async () => {
    c = await startRealClusterWith(NS, manifests());
  });
  after(async () => {
    await c?.stop();
    host.remove();
  });

  test('the node registers from the host: Ready, containerd version, capacity, pod CIDR, images', async () => {
    const node = JSON.parse(c.k(['get', 'node', c.node, '-o', 'json']));
    assert.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/\S+/);
    assert.equal(Number(node.status.capacity.cpu), cpus().length);
    assert.ok(Number.parseInt(node.status.capacity.memory, 10) > 0, `memory capacity ${node.status.capacity.memory}`);
    assert.ok(Number(node.status.capacity.pods) > 0);
    assert.ok(node.spec.podCIDR, 'podCIDR assigned');
    assert.ok(
      node.status.images?.some((i: any) => i.names.includes(BUSYBOX)),
      `node images list ${BUSYBOX}: ${JSON.stringify(node.status.images)}`,
    );
  });

  test('a pod echoes to its log and kubectl logs shows it', async () => {
    const p = await waitPod(c, NS, 'echo', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
    const st = containerStatus(p, 'echo');
    assert.equal(st.state.terminated.reason, 'Completed');
    assert.equal(st.state.terminated.exitCode, 0);
    assert.equal(c.k(['-n', NS, 'logs', 'echo']), 'hello from tugboat\nsecond line\n');
  });

  test('kubectl exec -- cat /etc/hostname prints the pod name; /etc/hosts and the token volume are set up', async () => {
    const p = await waitPod(c, NS, 'sleeper', 'Running and Ready', runningAndReady);
    assert.equal(c.k(['-n', NS, 'exec', 'sleeper', '--', 'cat', '/etc/hostname']), 'sleeper\n');
    assert.equal(c.k(['-n', NS, 'exec', 'sleeper', '--', 'hostname']), 'sleeper\n');
    const hosts = c.k(['-n', NS, 'exec', 'sleeper', '--', 'cat', '/etc/hosts']);
    assert.match(hosts, new RegExp(`^${p.status.podIP.replace(/\./g, '\\.')}\\s+sleeper`, 'm'), hosts);
    assert.equal(c.k(['-n', NS, 'exec', 'sleeper', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace']), NS);
    const failed = c.kubectl(['-n', NS, 'exec', 'sleeper', '--', 'sh', '-c', 'exit 3']);
    assert.equal(failed.code, 3, `exec exit code passes through: ${failed.stderr}`);
  });

  test('two pods reach each other by pod IP, and a hostPort from the node and from a pod; addresses are allocated under the data dir', async () => {
    const [web, client] = await Promise.all([
      waitPod(c, NS, 'web', 'Running and Ready', runningAndReady),
      waitPod(c, NS, 'sleeper', 'Running and Ready', runningAndReady),
    ]);
    const node = JSON.parse(c.k(['get', 'node', c.node, '-o', 'json']));
    const prefix = node.spec.podCIDR.split('.').slice(0, 3).join('.') + '.';
    assert.notEqual(web.status.podIP, client.status.podIP);
    assert.ok(web.status.podIP.startsWith(prefix), `${web.status.podIP} in ${node.spec.podCIDR}`);
    assert.deepEqual(web.status.podIPs, [{ ip: web.status.podIP }]);
    // The allocation is kept under the data dir (a fresh data dir starts with a free pod CIDR), not in /var/lib/cni.
    assert.ok(existsSync(join(c.dataDir, 'containerd', 'cni-ipam', 'tugboat', web.status.podIP)), 'host-local allocation under the data dir');
    const got = c.k(['-n', NS, 'exec', 'sleeper', '--', 'wget', '-qO-', `http://${web.status.podIP}:8080/`]);
    assert.equal(got, 'pong from web\n');
    // The hostPort, from the node's loopback and from another pod through the node's address.
    assert.equal(await getFromNode(`http://127.0.0.1:${HOST_PORT}/`), 'pong from web\n');
    const nodeIP = node.status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
    assert.equal(c.k(['-n', NS, 'exec', 'sleeper', '--', 'wget', '-qO-', `http://${nodeIP}:${HOST_PORT}/`]), 'pong from web\n');
  });

  test('in a pod sharing its process namespace, pause is PID 1 and reaps the orphans it inherits', async () => {
    await waitPod(c, NS, 'shared-pid', 'Running and Ready', runningAndReady);
    const inPod = (script: string) => c.k(['-n', NS, 'exec', 'shared-pid', '--', 'sh', '-c', script]);
    assert.equal(inPod("tr '\\0' ' ' < /proc/1/cmdline"), '/pause ');
    // A shell starts a sleep in the background and exits: the sleep's parent becomes PID 1.
    inPod('sleep 2 </dev/null >/dev/null 2>&1 & exit 0');
    const children = () => inPod("grep -l '^PPid:[[:space:]]*1$' /proc/[0-9]*/status | xargs -r grep -h '^Name:' | awk '{print $2}'");
    assert.match(children(), /^sleep$/m, 'the orphan is a child of pause');
    // Once it exits, pause has reaped it: no zombie anywhere in the pod.
    await until('the orphan gone', () => !/sleep/.test(children()), 15_000, c.logs);
    assert.doesNotMatch(inPod("grep -h '^State:' /proc/[0-9]*/status"), /Z \(zombie\)/);
  });

  test('init containers run in order and their output reaches the app through an emptyDir', async () => {
    const p = await waitPod(c, NS, 'init-demo', 'Running', (p) => p.status?.phase === 'Running');
    for (const name of ['first', 'second']) {
      const st = containerStatus(p, name);
      assert.equal(st.state.terminated?.reason, 'Completed', `${name}: ${JSON.stringify(st)}`);
      assert.equal(st.state.terminated.exitCode, 0);
    }
    assert.ok(p.status.conditions.some((x: any) => x.type === 'Initialized' && x.status === 'True'));
    await until('app log', () => c.kubectl(['-n', NS, 'logs', 'init-demo', '-c', 'app']).stdout === 'first\nsecond\n', 15_000, c.logs);
    const mounts = c.k(['-n', NS, 'exec', 'init-demo', '-c', 'app', '--', 'cat', '/proc/mounts']);
    assert.match(mounts, /^\S+ \/mem tmpfs /m, 'emptyDir medium Memory is a tmpfs');
  });

  test('a native sidecar starts before the app and keeps running beside it', async () => {
    const p = await waitPod(c, NS, 'sidecar', 'Running and Ready', runningAndReady);
    const side = containerStatus(p, 'counter');
    assert.ok(side.state.running, `sidecar running: ${JSON.stringify(side)}`);
    assert.equal(side.started, true);
    assert.ok(containerStatus(p, 'app').state.running);
    const count = () => Number(c.k(['-n', NS, 'exec', 'sidecar', '-c', 'app', '--', 'cat', '/shared/count']));
    const first = count();
    await until('the sidecar to keep counting', () => count() > first, 10_000, c.logs);
    const later = await getPod(c, NS, 'sidecar');
    assert.ok(containerStatus(later, 'counter').state.running);
    assert.equal(containerStatus(later, 'counter').restartCount, 0);
    assert.equal(later.status.phase, 'Running');
  });

  test('a Secret mounted as a file is readable; a ConfigMap volume is updated in place', async () => {
    await waitPod(c, NS, 'secret-reader', 'Running and Ready', runningAndReady);
    assert.equal(c.k(['-n', NS, 'exec', 'secret-reader', '--', 'cat', '/etc/creds/password']), 's3cr3t-value');
    assert.equal(c.k(['-n', NS, 'exec', 'secret-reader', '--', 'cat', '/etc/settings/mode']), 'blue');
    c.k(['-n', NS, 'patch', 'configmap', 'settings', '--type=merge', '-p', '{"data":{"mode":"green"}}']);
    // The kubelet watches ConfigMaps: the change lands at once, not at the pod's next periodic sync.
    await until(
      'the configMap volume to show the new value',
      () => c.kubectl(['-n', NS, 'exec', 'secret-reader', '--', 'cat', '/etc/settings/mode']).stdout === 'green',
      15_000,
      c.logs,
    );
  });

  test('env: value, fieldRef, resourceFieldRef, secretKeyRef, configMapKeyRef and envFrom', async () => {
    const p = await waitPod(c, NS, 'env-demo', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
    assert.equal(
      c.k(['-n', NS, 'logs', 'env-demo']),
      `plain=value-1 pod=env-demo ns=${NS} ip=${p.status.podIP} mem=64 pw=s3cr3t-value mode=blue greeting=hi\n`,
    );
  });

  test('runAsNonRoot with a root image is refused with a clear reason; a non-root image runs', async () => {
    const p = await waitPod(c, NS, 'root-refused', 'CreateContainerConfigError', (p) => containerStatus(p, 'main')?.state?.waiting?.reason === 'CreateContainerConfigError');
    assert.match(containerStatus(p, 'main').state.waiting.message, /runAsNonRoot and image will run as root/);
    assert.equal(p.status.phase, 'Pending');
    const events = await eventsFor(c, NS, 'root-refused');
    assert.ok(events.some((e) => /^Failed: Error: container has runAsNonRoot and image will run as root/.test(e)), events.join('\n'));
    await waitPod(c, NS, 'nonroot-ok', 'Running and Ready', runningAndReady);
    assert.equal(c.k(['-n', NS, 'exec', 'nonroot-ok', '--', 'id', '-u']), '65534\n');
  });

  test('securityContext: runAsUser/runAsGroup, readOnlyRootFilesystem, dropped capabilities', async () => {
    await waitPod(c, NS, 'locked-down', 'Running and Ready', runningAndReady);
    assert.equal(c.k(['-n', NS, 'exec', 'locked-down', '--', 'sh', '-c', 'echo $(id -u) $(id -g)']), '1000 3000\n');
    // /tmp is world-writable in the image, so only the read-only root filesystem stops user 1000 here.
    const write = c.kubectl(['-n', NS, 'exec', 'locked-down', '--', 'touch', '/tmp/file']);
    assert.notEqual(write.code, 0);
    assert.match(write.stderr + write.stdout, /Read-only file system/);
    const caps = c.k(['-n', NS, 'exec', 'locked-down', '--', 'grep', 'CapBnd', '/proc/self/status']);
    assert.match(caps, /CapBnd:\s+0+\n/, 'drop ALL empties the bounding set');
  });

  test('deleting a pod runs preStop, then SIGTERM, and stops well within the grace period; its sandbox and volumes are removed', async () => {
    const p = await waitPod(c, NS, 'graceful', 'Running and Ready', runningAndReady);
    const log = join(host.path, 'graceful');
    await until('the container to start', () => existsSync(log), 10_000);
    const started = Date.now();
    c.k(['-n', NS, 'delete', 'pod', 'graceful', '--wait=true', '--timeout=60s']);
    const took = Date.now() - started;
    assert.equal(readFileSync(log, 'utf8'), 'started\npreStop\nTERM\n');
    assert.ok(took < 15_000, `deletion took ${took} ms with a 20 s grace period and a container that exits on SIGTERM`);
    const cri = CriClient.connect(c.criEndpoint);
    try {
      await until('the sandbox of the deleted pod to be removed', async () => !(await cri.listPodSandbox({})).items.some((s) => s.metadata?.uid === p.metadata.uid), 20_000, c.logs);
    } finally {
      cri.close();
    }
    const podDir = join(c.dataDir, 'pods', p.metadata.uid);
    await until('the deleted pod\'s volumes to be unmounted and removed', () => !readFileSync('/proc/mounts', 'utf8').includes(podDir) && !existsSync(podDir), 20_000, c.logs);
  });

  test('a container that ignores SIGTERM is killed when the grace period ends', async () => {
    await waitPod(c, NS, 'stubborn', 'Running and Ready', runningAndReady);
    await until('the container to start', () => existsSync(join(host.path, 'stubborn')), 10_000);
    const started = Date.now();
    c.k(['-n', NS, 'delete', 'pod', 'stubborn', '--wait=true', '--timeout=60s']);
    const took = Date.now() - started;
    assert.ok(took >= 2_900, `deleted after ${took} ms: before the 3 s grace period ended`);
    assert.ok(took < 12_000, `deletion took ${took} ms with a 3 s grace period`);
  });
});
