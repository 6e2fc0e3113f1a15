// CriClient against a real containerd: version, images, a sandbox and container through their whole life, exec, errors.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runtimeSkipReason, startTestRuntime, type TestRuntime } from '../kubelet/cri/testing';
import { BUSYBOX_IMAGE, BUSYBOX_NONROOT_IMAGE, PAUSE_IMAGE } from '../images/names';
import { CriClient, CriCode, CriError, isCriNotFound, socketPath } from './client';
import type { PodSandboxConfig, CriRequest } from './types';

describe('socketPath', () => {
  it('accepts a path or a unix URL', () => {
    assert.equal(socketPath('/run/c.sock'), '/run/c.sock');
    assert.equal(socketPath('unix:///run/c.sock'), '/run/c.sock');
    assert.equal(socketPath('unix:/run/c.sock'), '/run/c.sock');
  });
});

describe('CriClient without a runtime', () => {
  it('rejects with Unavailable and an upstream-style message', async () => {
    const cri = CriClient.connect('/nonexistent/tugboat-test.sock', { timeoutMs: 5000 });
    try {
      const err = await cri.version().then(
        () => assert.fail('version succeeded'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof CriError);
      assert.equal(err.code, CriCode.Unavailable);
      assert.equal(err.rpc, 'Version');
      assert.match(err.message, /^rpc error: code = Unavailable desc = /);
    } finally {
      cri.close();
    }
  });
});

const skip = runtimeSkipReason();

describe('CriClient against containerd', { skip }, () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startTestRuntime();
  });
  after(async () => {
    await rt?.cleanup();
  });

  it('reports the runtime version and readiness', async () => {
    const v = await rt.cri.version();
    assert.equal(v.runtimeName, 'containerd');
    assert.equal(v.runtimeApiVersion, 'v1');
    assert.match(v.runtimeVersion, /^1\./);
    const { status } = await rt.cri.status();
    const byType = Object.fromEntries(status!.conditions.map((c) => [c.type, c.status]));
    assert.deepEqual(byType, { RuntimeReady: true, NetworkReady: true });
  });

  it('has the locally built images, with the non-root one as uid 65534', async () => {
    const { images } = await rt.cri.listImages();
    const tags = images.flatMap((i) => i.repoTags);
    for (const name of [PAUSE_IMAGE, BUSYBOX_IMAGE, BUSYBOX_NONROOT_IMAGE]) assert.ok(tags.includes(name), `${name} in ${tags}`);
    const nonroot = await rt.cri.imageStatus({ image: { image: BUSYBOX_NONROOT_IMAGE } });
    assert.equal(nonroot.image?.uid?.value, 65534);
    assert.match(nonroot.image!.id, /^sha256:[0-9a-f]{64}$/);
    assert.ok(nonroot.image!.size > 100_000);
    const missing = await rt.cri.imageStatus({ image: { image: 'tugboat.local/absent:1' } });
    assert.equal(missing.image, null);
  });

  it('runs a sandbox and a container: IP, logs, exec, status, stats, streaming URLs, stop and remove', async () => {
    const logDirectory = join(rt.dataDir, 'pods', 'logs', 'default_p1_uid-1');
    mkdirSync(logDirectory, { recursive: true });
    const sandboxConfig: CriRequest<PodSandboxConfig> = {
      metadata: { name: 'p1', namespace: 'default', uid: 'uid-1', attempt: 0 },
      hostname: 'p1',
      logDirectory,
      labels: { 'io.kubernetes.pod.name': 'p1' },
      linux: { securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
    };
    const { podSandboxId } = await rt.cri.runPodSandbox({ config: sandboxConfig });
    const sandbox = (await rt.cri.podSandboxStatus({ podSandboxId })).status!;
    assert.equal(sandbox.state, 'SANDBOX_READY');
    assert.equal(sandbox.metadata?.name, 'p1');
    assert.ok(sandbox.network!.ip.startsWith(rt.podCIDR.replace(/0\/24$/, '')), `${sandbox.network!.ip} in ${rt.podCIDR}`);

    const { containerId } = await rt.cri.createContainer({
      podSandboxId,
      sandboxConfig,
      config: {
        metadata: { name: 'main', attempt: 0 },
        image: { image: BUSYBOX_IMAGE },
        command: ['sh', '-c', 'echo hello from $GREETING; cat /etc/hostname; exec sleep 600'],
        envs: [{ key: 'GREETING', value: 'tugboat' }],
        logPath: 'main/0.log',
        linux: { resources: { memoryLimitInBytes: 64 << 20, cpuShares: 256 } },
      },
    });
    await rt.cri.startContainer({ containerId });

    const status = (await rt.cri.containerStatus({ containerId })).status!;
    assert.equal(status.state, 'CONTAINER_RUNNING');
    assert.equal(status.metadata?.name, 'main');
    assert.ok(status.startedAt > 0);
    assert.equal(status.logPath, join(logDirectory, 'main/0.log'));
    assert.equal(status.resources?.linux?.memoryLimitInBytes, 64 << 20);

    const exec = await rt.cri.execSync({ containerId, cmd: ['sh', '-c', 'echo $GREETING; id -u; echo oops >&2; exit 3'], timeout: 10 });
    assert.equal(exec.stdout.toString(), 'tugboat\n0\n');
    assert.equal(exec.stderr.toString(), 'oops\n');
    assert.equal(exec.exitCode, 3);

    // CRI log lines: "<RFC3339Nano> <stream> <F|P> <text>"
    const log = readFileSync(status.logPath, 'utf8').trim().split('\n');
    assert.match(log[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z stdout F hello from tugboat$/);
    assert.match(log[1], / stdout F p1$/);

    for (const { url } of [
      await rt.cri.exec({ containerId, cmd: ['sh'], stdin: true, stdout: true, tty: true }),
      await rt.cri.attach({ containerId, stdout: true, stderr: true }),
      await rt.cri.portForward({ podSandboxId, port: [80] }),
    ]) {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/(exec|attach|portforward)\//);
    }

    const { stats } = await rt.cri.containerStats({ containerId });
    assert.equal(stats?.attributes?.id, containerId);
    assert.ok((stats?.memory?.workingSetBytes?.value ?? 0) > 0);
    assert.ok((await rt.cri.listContainerStats()).stats.some((s) => s.attributes?.id === containerId));

    const listed = await rt.cri.listContainers({ filter: { podSandboxId, state: { state: 'CONTAINER_RUNNING' } } });
    assert.deepEqual(listed.containers.map((c) => c.id), [containerId]);

    await rt.cri.stopContainer({ containerId, timeout: 1 });
    const stopped = (await rt.cri.containerStatus({ containerId })).status!;
    assert.equal(stopped.state, 'CONTAINER_EXITED');
    assert.equal(stopped.exitCode, 143, 'sleep dies of SIGTERM');
    assert.ok(stopped.finishedAt >= stopped.startedAt);

    await rt.cri.removeContainer({ containerId });
    const gone = await rt.cri.containerStatus({ containerId }).then(
      () => assert.fail('status of a removed container'),
      (e: unknown) => e,
    );
    assert.ok(isCriNotFound(gone), String(gone));

    await rt.cri.stopPodSandbox({ podSandboxId });
    assert.equal((await rt.cri.podSandboxStatus({ podSandboxId })).status?.state, 'SANDBOX_NOTREADY');
    await rt.cri.removePodSandbox({ podSandboxId });
    assert.deepEqual((await rt.cri.listPodSandbox({ filter: { id: podSandboxId } })).items, []);
  });

  it('reports an exit code and reason of a container that fails by itself', async () => {
    const sandboxConfig: CriRequest<PodSandboxConfig> = {
      metadata: { name: 'p2', namespace: 'default', uid: 'uid-2' },
      logDirectory: join(rt.dataDir, 'pods', 'logs', 'default_p2_uid-2'),
    };
    mkdirSync(sandboxConfig.logDirectory!, { recursive: true });
    const { podSandboxId } = await rt.cri.runPodSandbox({ config: sandboxConfig });
    const { containerId } = await rt.cri.createContainer({
      podSandboxId,
      sandboxConfig,
      config: { metadata: { name: 'fail' }, image: { image: BUSYBOX_IMAGE }, command: ['sh', '-c', 'exit 7'], logPath: 'fail/0.log' },
    });
    await rt.cri.startContainer({ containerId });
    const deadline = Date.now() + 10_000;
    let st = (await rt.cri.containerStatus({ containerId })).status!;
    while (st.state !== 'CONTAINER_EXITED' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      st = (await rt.cri.containerStatus({ containerId })).status!;
    }
    assert.equal(st.state, 'CONTAINER_EXITED');
    assert.equal(st.exitCode, 7);
    assert.equal(st.reason, 'Error');
    await rt.cri.stopPodSandbox({ podSandboxId });
    await rt.cri.removePodSandbox({ podSandboxId });
  });

  it('enforces memory limits (OOMKilled, 137) and starts containers with any oom_score_adj', async () => {
    const sandboxConfig: CriRequest<PodSandboxConfig> = {
      metadata: { name: 'p3', namespace: 'default', uid: 'uid-3' },
      logDirectory: join(rt.dataDir, 'pods', 'logs', 'default_p3_uid-3'),
    };
    mkdirSync(sandboxConfig.logDirectory!, { recursive: true });
    const { podSandboxId } = await rt.cri.runPodSandbox({ config: sandboxConfig });
    const run = async (name: string, command: string[], linux: { memoryLimitInBytes?: number; oomScoreAdj: number }) => {
      const { containerId } = await rt.cri.createContainer({
        podSandboxId,
        sandboxConfig,
        config: { metadata: { name }, image: { image: BUSYBOX_IMAGE }, command, logPath: `${name}/0.log`, linux: { resources: linux } },
      });
      await rt.cri.startContainer({ containerId });
      return containerId;
    };
    // dd's 64 MiB buffer cannot fit in 32 MiB
    const hog = await run('hog', ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], { memoryLimitInBytes: 32 << 20, oomScoreAdj: 1000 });
    // Guaranteed pods ask for -997: without CAP_SYS_RESOURCE containerd must clamp it, not fail the start
    const guaranteed = await run('guaranteed', ['sleep', '600'], { oomScoreAdj: -997 });
    const deadline = Date.now() + 10_000;
    let st = (await rt.cri.containerStatus({ containerId: hog })).status!;
    while (st.state !== 'CONTAINER_EXITED' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      st = (await rt.cri.containerStatus({ containerId: hog })).status!;
    }
    assert.equal(st.reason, 'OOMKilled');
    assert.equal(st.exitCode, 137);
    assert.equal((await rt.cri.containerStatus({ containerId: guaranteed })).status?.state, 'CONTAINER_RUNNING');
    await rt.cri.stopPodSandbox({ podSandboxId });
    await rt.cri.removePodSandbox({ podSandboxId });
  });
});
