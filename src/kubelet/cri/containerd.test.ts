// Our own containerd: its config, availability checks, start/stop, taking over from a leftover, connecting to an existing socket, restarts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUSYBOX_IMAGE } from '../../images/names';
import { canLowerOomScore, connectRuntime, containerdAvailable, containerdConfig, runtimeStateDir, startContainerd } from './containerd';
import { processAlive } from '../../util/process';
import { removeDataDir, runtimeSkipReason, startTestRuntime, type TestRuntime } from './testing';

describe('containerdConfig', () => {
  const toml = containerdConfig('/data/containerd', '/usr/lib/cni', '/run/tugboat/abc', true);
  it('keeps socket, images, CNI and registry hosts under the data dir, runtime state where it is told', () => {
    assert.match(toml, /^root = "\/data\/containerd\/root"$/m);
    assert.match(toml, /^state = "\/run\/tugboat\/abc\/state"$/m);
    assert.match(toml, /^ {2}address = "\/data\/containerd\/containerd\.sock"$/m);
    assert.match(toml, /^ {2}conf_dir = "\/data\/containerd\/cni"$/m);
    assert.match(toml, /^ {2}bin_dir = "\/usr\/lib\/cni"$/m);
    assert.match(toml, /^ {2}config_path = "\/data\/containerd\/certs\.d"$/m);
    assert.match(toml, /^ {2}Root = "\/run\/tugboat\/abc\/runc"$/m);
  });
  it('puts runtime state under /run, one dir per data dir, unless the data dir already holds it', () => {
    const a = mkdtempSync(join(tmpdir(), 'tugboat-state-'));
    const b = mkdtempSync(join(tmpdir(), 'tugboat-state-'));
    try {
      assert.match(runtimeStateDir(a), /^\/run\/tugboat\/[0-9a-f]{12}$/);
      assert.notEqual(runtimeStateDir(a), runtimeStateDir(b));
      assert.equal(runtimeStateDir(a), runtimeStateDir(join(a, '.')));
      // An older tugboat's data dir: its tasks' state stays where its containerd put it.
      mkdirSync(join(b, 'containerd', 'state'), { recursive: true });
      assert.equal(runtimeStateDir(b), join(b, 'containerd'));
    } finally {
      rmSync(a, { recursive: true, force: true });
      rmSync(b, { recursive: true, force: true });
    }
  });
  it('uses cgroupfs, our pause image and a loopback streaming server', () => {
    assert.match(toml, /^ {2}SystemdCgroup = false$/m);
    assert.match(toml, /^ {2}sandbox_image = "tugboat\.local\/pause:2"$/m);
    assert.match(toml, /^ {2}stream_server_address = "127\.0\.0\.1"$/m);
    assert.match(toml, /^ {2}restrict_oom_score_adj = true$/m);
    assert.match(containerdConfig('/d', '/b', '/s', false), /^ {2}restrict_oom_score_adj = false$/m);
  });
});

describe('canLowerOomScore', () => {
  it('reads CAP_SYS_RESOURCE from CapEff', () => {
    assert.equal(canLowerOomScore('Name:\tx\nCapEff:\t000001ffffffffff\n'), true);
    assert.equal(canLowerOomScore('CapEff:\t000001fffeffffff\n'), false);
    assert.equal(canLowerOomScore(''), false);
  });
});

describe('containerdAvailable', () => {
  it('is undefined or one line', () => {
    const why = containerdAvailable();
    if (why !== undefined) assert.doesNotMatch(why, /\n/);
    if (process.getuid?.() !== 0) assert.equal(why, 'not running as root');
  });
});

describe('startContainerd', { skip: runtimeSkipReason() }, () => {
  it('starts, answers CRI, takes over a leftover on the same dir, and stops', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tugboat-containerd-test-'));
    try {
      const first = await startContainerd({ dataDir });
      assert.equal(first.endpoint, join(dataDir, 'containerd', 'containerd.sock'));
      assert.equal(first.version.runtimeName, 'containerd');
      assert.ok(existsSync(first.logFile));
      const firstPid = Number(readFileSync(join(dataDir, 'containerd', 'containerd.pid'), 'utf8'));
      assert.ok(processAlive(firstPid));
      assert.ok(existsSync(join(runtimeStateDir(dataDir), 'state')), 'runtime state under /run');

      // As if tugboat had been killed: the old containerd still holds the dir; a new start must replace it.
      const second = await startContainerd({ dataDir });
      assert.equal(processAlive(firstPid), false, 'leftover containerd stopped');

      const existing = await connectRuntime(`unix://${second.endpoint}`);
      assert.equal(existing.endpoint, second.endpoint);
      assert.equal(existing.version.runtimeApiVersion, 'v1');
      await existing.stop(); // not ours: leaves it running
      assert.equal((await connectRuntime(second.endpoint)).version.runtimeName, 'containerd');

      await second.stop();
      await assert.rejects(connectRuntime(second.endpoint, 300), /runtime|socket/);
      await first.stop(); // already gone: resolves
    } finally {
      removeDataDir(dataDir);
    }
  });
});

describe('restarting containerd', { skip: runtimeSkipReason() }, () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startTestRuntime();
  });
  after(async () => {
    await rt?.cleanup();
  });

  it('keeps pods running across a restart, and the new containerd knows them', async () => {
    const logDirectory = join(rt.dataDir, 'logs', 'survivor');
    mkdirSync(logDirectory, { recursive: true });
    const sandboxConfig = { metadata: { name: 'survivor', namespace: 'default', uid: 'survivor' }, logDirectory };
    const { podSandboxId } = await rt.cri.runPodSandbox({ config: sandboxConfig });
    const { containerId } = await rt.cri.createContainer({
      podSandboxId,
      sandboxConfig,
      config: { metadata: { name: 'c' }, image: { image: BUSYBOX_IMAGE }, command: ['sleep', '600'], logPath: 'c.log' },
    });
    await rt.cri.startContainer({ containerId });
    const earlier = (await rt.cri.containerStatus({ containerId })).status!;

    await rt.restart();

    const later = (await rt.cri.containerStatus({ containerId })).status!;
    assert.equal(later.state, 'CONTAINER_RUNNING');
    assert.equal(later.startedAt, earlier.startedAt, 'the same process, not a restart');
    assert.equal((await rt.cri.podSandboxStatus({ podSandboxId })).status?.state, 'SANDBOX_READY');
    const exec = await rt.cri.execSync({ containerId, cmd: ['echo', 'still here'], timeout: 5 });
    assert.equal(exec.stdout.toString(), 'still here\n');
  });
});
