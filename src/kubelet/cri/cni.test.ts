// The CNI conflist (bridge + host-local from the podCIDR; lo comes from containerd; hostPorts are the kubelet's), and pods networking through it for real.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { get } from 'node:http';
import type { CriRequest, PodSandboxConfig } from '../../cri/types';
import { BUSYBOX_IMAGE } from '../../images/names';
import { cniConfig, writeCniConfig } from './cni';
import { HostPorts } from './hostports';
import { runtimeSkipReason, startTestRuntime, type TestRuntime } from './testing';

describe('cniConfig', () => {
  it('is one bridge over the podCIDR, without portmap (hostPorts are the kubelet\'s)', () => {
    const c = cniConfig('10.244.3.0/24') as { name: string; plugins: Record<string, any>[] };
    assert.equal(c.name, 'tugboat');
    assert.deepEqual(c.plugins.map((p) => p.type), ['bridge']);
    const [bridge] = c.plugins;
    assert.equal(bridge.bridge, 'cni0');
    assert.equal(bridge.isGateway, true);
    assert.equal(bridge.ipMasq, true);
    assert.deepEqual(bridge.ipam.ranges, [[{ subnet: '10.244.3.0/24' }]]);
    assert.equal(bridge.ipam.type, 'host-local');
    assert.equal(bridge.ipam.dataDir, undefined);
  });

  it('takes another bridge and IPAM directory when asked', () => {
    const c = cniConfig('10.250.1.0/24', { bridge: 'tgbtest1', ipamDataDir: '/tmp/x' }) as { plugins: Record<string, any>[] };
    assert.equal(c.plugins[0].bridge, 'tgbtest1');
    assert.equal(c.plugins[0].ipam.dataDir, '/tmp/x');
    assert.equal((cniConfig('10.250.1.0/24', { ipMasq: false }) as { plugins: Record<string, any>[] }).plugins[0].ipMasq, false);
  });
});

describe('writeCniConfig', () => {
  it('writes one conflist, replacing the previous one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tugboat-cni-'));
    try {
      writeCniConfig(join(dir, 'net.d'), '10.244.0.0/24');
      const path = writeCniConfig(join(dir, 'net.d'), '10.244.1.0/24');
      assert.deepEqual(readdirSync(join(dir, 'net.d')), ['10-tugboat.conflist']);
      assert.equal(JSON.parse(readFileSync(path, 'utf8')).plugins[0].ipam.ranges[0][0].subnet, '10.244.1.0/24');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the CNI network on a real containerd', { skip: runtimeSkipReason() }, () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startTestRuntime();
  });
  after(async () => {
    await rt?.cleanup();
  });

  /** Runs a pod with one container running `script`; returns its sandbox id, container id and IP. */
  async function pod(name: string, script: string) {
    const sandboxConfig: CriRequest<PodSandboxConfig> = {
      metadata: { name, namespace: 'default', uid: name },
      hostname: name,
      logDirectory: join(rt.dataDir, 'logs', name),
    };
    mkdirSync(sandboxConfig.logDirectory!, { recursive: true });
    const { podSandboxId } = await rt.cri.runPodSandbox({ config: sandboxConfig });
    const { containerId } = await rt.cri.createContainer({
      podSandboxId,
      sandboxConfig,
      config: { metadata: { name: 'c' }, image: { image: BUSYBOX_IMAGE }, command: ['sh', '-c', script], logPath: 'c.log' },
    });
    await rt.cri.startContainer({ containerId });
    const ip = (await rt.cri.podSandboxStatus({ podSandboxId })).status!.network!.ip;
    return { podSandboxId, containerId, ip };
  }

  /** GET from the node itself, retried while the server comes up. */
  async function fetchFromNode(url: string): Promise<string> {
    const once = () =>
      new Promise<string>((resolve, reject) => {
        const req = get(url, { timeout: 2000 }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve(body));
        });
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', reject);
      });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        return await once();
      } catch (e) {
        if (Date.now() > deadline) return (e as Error).message;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  }

  const serve = (text: string) => `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 8080 -h /www`;

  /** wget from inside a container, retried while the server comes up (no -T: Debian's busybox 1.35 wget segfaults with it). */
  async function fetchIn(containerId: string, url: string): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await rt.cri.execSync({ containerId, cmd: ['wget', '-q', '-O', '-', url], timeout: 5 });
      if (r.exitCode === 0 || Date.now() > deadline) return r.stdout.toString() + r.stderr.toString();
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  it('gives pods addresses from the podCIDR; they reach each other, themselves on loopback, and hostPorts from pods and the node', async () => {
    const hostPort = 30_000 + (process.pid % 2000);
    const a = await pod('net-a', serve('from-a'));
    const b = await pod('net-b', serve('from-b'));
    const prefix = rt.podCIDR.replace(/0\/24$/, '');
    assert.ok(a.ip.startsWith(prefix) && b.ip.startsWith(prefix) && a.ip !== b.ip, `${a.ip} ${b.ip} in ${rt.podCIDR}`);
    assert.equal(await fetchIn(b.containerId, `http://${a.ip}:8080/`), 'from-a\n');
    assert.equal(await fetchIn(a.containerId, `http://${b.ip}:8080/`), 'from-b\n');
    assert.equal(await fetchIn(a.containerId, 'http://127.0.0.1:8080/'), 'from-a\n');
    // The kubelet's rules DNAT traffic to the node's own addresses (the bridge gateway is one), from pods, the pod
    // itself and the node's loopback.
    const hostPorts = new HostPorts(rt.podCIDR, rt.bridge);
    try {
      await hostPorts.set('a', [{ protocol: 'TCP', hostPort, podIP: a.ip, containerPort: 8080, pod: 'default/net-a' }]);
      const gateway = `${prefix}1`;
      assert.equal(await fetchIn(b.containerId, `http://${gateway}:${hostPort}/`), 'from-a\n');
      assert.equal(await fetchIn(a.containerId, `http://${gateway}:${hostPort}/`), 'from-a\n');
      assert.equal(await fetchFromNode(`http://127.0.0.1:${hostPort}/`), 'from-a\n');
      await hostPorts.set('a', []);
      const gone = await rt.cri.execSync({ containerId: b.containerId, cmd: ['wget', '-q', '-O', '-', `http://${gateway}:${hostPort}/`], timeout: 5 });
      assert.notEqual(gone.exitCode, 0, 'no forwarding once the mapping is gone');
    } finally {
      await hostPorts.remove();
    }
  });
});
