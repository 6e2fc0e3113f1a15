// e2e on a real node (containerd): probes, restarts and CrashLoopBackOff, cgroup limits and OOMKilled.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUSYBOX,
  containerStatus,
  eventsFor,
  getPod,
  hasCondition,
  realNodeSkipReason,
  sh,
  runningAndReady,
  podsIn,
  startRealClusterWith,
  until,
  waitPod,
  type RealCluster,
} from '../support/real-node';
import { raw } from '../support/http';

/* eslint-disable @typescript-eslint/no-explicit-any */

const skip = realNodeSkipReason();
const NS = 'rn-probes';
let c: RealCluster;

const pod = podsIn(NS, { terminationGracePeriodSeconds: 1 });

const HTTPD = 'mkdir -p /www && echo ok > /www/ready && exec httpd -f -p 8080 -h /www';

function manifests(): object[] {
  return [
    // The upstream docs' liveness example, sped up: healthy for 2 s, then the probe fails and the container is restarted.
    pod('liveness', {
      containers: [
        sh('main', 'touch /tmp/healthy; sleep 2; rm /tmp/healthy; exec sleep 3600', {
          livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 1, periodSeconds: 1, failureThreshold: 1 },
        }),
      ],
    }),
    pod(
      'readiness',
      {
        containers: [
          sh('main', HTTPD, {
            ports: [{ containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 1 },
          }),
        ],
      },
      { app: 'readiness' },
    ),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'readiness', namespace: NS }, spec: { selector: { app: 'readiness' }, ports: [{ port: 80, targetPort: 8080 }] } },
    pod('startup', {
      containers: [
        sh('main', `sleep 2; ${HTTPD}`, {
          startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 20 },
          livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
        }),
      ],
    }),
    pod('crashloop', { containers: [sh('main', 'echo crashing; exit 1')] }),
    // dd reads 64 MiB into one buffer: over the 32Mi limit, so the kernel's OOM killer ends it.
    pod('oom', {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'main',
          image: BUSYBOX,
          imagePullPolicy: 'IfNotPresent',
          command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'],
          resources: { limits: { memory: '32Mi' } },
        },
      ],
    }),
    pod('limits', {
      containers: [sh('main', 'exec sleep 3600', { resources: { limits: { cpu: '500m', memory: '64Mi' } } })],
    }),
  ];
}

describe('real node: probes, restarts, resources', { skip }, () => {
  before(async () => {
    c = await startRealClusterWith(NS, manifests());
  });
  after(async () => {
    await c?.stop();
  });

  test('a failing liveness probe restarts the container (restartCount, Unhealthy and Killing events)', async () => {
    const p = await waitPod(c, NS, 'liveness', 'restartCount >= 1', (p) => (containerStatus(p, 'main')?.restartCount ?? 0) >= 1, 45_000);
    assert.ok(containerStatus(p, 'main').lastState.terminated, `lastState: ${JSON.stringify(containerStatus(p, 'main').lastState)}`);
    const events = await eventsFor(c, NS, 'liveness');
    assert.ok(events.some((e) => /^Unhealthy: Liveness probe failed: /.test(e)), events.join('\n'));
    assert.ok(events.some((e) => e === 'Killing: Container main failed liveness probe, will be restarted'), events.join('\n'));
  });

  test('a readiness probe failure removes the pod from Ready and from the Service endpoints', async () => {
    const p = await waitPod(c, NS, 'readiness', 'Running and Ready', runningAndReady);
    const endpoints = async () => (await raw(c, 'GET', `/api/v1/namespaces/${NS}/endpoints/readiness`)).json?.subsets?.[0] ?? {};
    await until('the pod in the Service endpoints', async () => (await endpoints()).addresses?.some((a: any) => a.ip === p.status.podIP), 20_000, c.logs);
    c.k(['-n', NS, 'exec', 'readiness', '--', 'rm', '/www/ready']);
    const unready = await waitPod(c, NS, 'readiness', 'Ready False', (p) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'False'), 20_000);
    assert.equal(unready.status.phase, 'Running');
    assert.equal(hasCondition(unready, 'ContainersReady'), false);
    assert.equal(containerStatus(unready, 'main').ready, false);
    assert.equal(containerStatus(unready, 'main').restartCount, 0);
    await until('the pod among the not-ready addresses', async () => (await endpoints()).notReadyAddresses?.some((a: any) => a.ip === p.status.podIP), 20_000, c.logs);
    const events = await eventsFor(c, NS, 'readiness');
    assert.ok(events.some((e) => /^Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 404/.test(e)), events.join('\n'));
    // Ready again once the probe passes.
    c.k(['-n', NS, 'exec', 'readiness', '--', 'sh', '-c', 'echo ok > /www/ready']);
    await waitPod(c, NS, 'readiness', 'Ready again', runningAndReady, 20_000);
  });

  test('a startup probe holds off the liveness probe until the app listens (tcpSocket)', async () => {
    const p = await waitPod(c, NS, 'startup', 'Running and Ready', runningAndReady, 30_000);
    const st = containerStatus(p, 'main');
    assert.equal(st.started, true);
    assert.equal(st.restartCount, 0, 'the liveness probe did not fire before the app was listening');
  });

  test('a crashing container enters CrashLoopBackOff', async () => {
    const p = await waitPod(c, NS, 'crashloop', 'CrashLoopBackOff', (p) => containerStatus(p, 'main')?.state?.waiting?.reason === 'CrashLoopBackOff', 45_000);
    const st = containerStatus(p, 'main');
    assert.match(st.state.waiting.message, new RegExp(`^back-off \\d+[ms0-9]* restarting failed container=main pod=crashloop_${NS}\\(${p.metadata.uid}\\)$`));
    assert.ok(st.restartCount >= 1);
    assert.equal(st.lastState.terminated.exitCode, 1);
    assert.equal(st.lastState.terminated.reason, 'Error');
    assert.equal(c.k(['-n', NS, 'logs', 'crashloop']), 'crashing\n');
    const events = await eventsFor(c, NS, 'crashloop');
    assert.ok(events.some((e) => e.startsWith('BackOff: Back-off restarting failed container main in pod crashloop_')), events.join('\n'));
  });

  test('a container over its 32Mi memory limit is OOMKilled with exit code 137', async () => {
    const p = await waitPod(c, NS, 'oom', 'terminated', (p) => containerStatus(p, 'main')?.state?.terminated, 45_000);
    const t = containerStatus(p, 'main').state.terminated;
    assert.equal(t.reason, 'OOMKilled');
    assert.equal(t.exitCode, 137);
    const failed = await waitPod(c, NS, 'oom', 'Failed', (p) => p.status?.phase === 'Failed', 15_000);
    assert.equal(failed.status.qosClass, 'Burstable');
  });

  test('resources become cgroup limits: memory limit, CPU quota and shares', async () => {
    const p = await waitPod(c, NS, 'limits', 'Running and Ready', runningAndReady);
    assert.equal(p.status.qosClass, 'Guaranteed');
    // cgroup v1 (this host) or v2, whichever the container sees.
    const script =
      'if [ -f /sys/fs/cgroup/memory.max ]; then echo "$(cat /sys/fs/cgroup/memory.max) $(cat /sys/fs/cgroup/cpu.max)"; ' +
      'else echo "$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes) $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us) $(cat /sys/fs/cgroup/cpu/cpu.shares)"; fi';
    const got = c.k(['-n', NS, 'exec', 'limits', '--', 'sh', '-c', script]).trim();
    assert.ok(['67108864 50000 100000', '67108864 50000 100000 512'].includes(got), `cgroup limits: ${got}`);
    const again = await getPod(c, NS, 'limits');
    assert.equal(containerStatus(again, 'main').restartCount, 0);
  });
});
