import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1';
import { ensureEtcHosts, managedHostsFileContent, podHostnameAndDomain, sandboxHostname, shouldMountHostsFile } from './etc-hosts';

const pod = (spec: Partial<PodSpec> = {}, name = 'web-0'): Pod => ({ metadata: { name, namespace: 'ns', uid: 'u' }, spec: { containers: [], ...spec } });

test('managed hosts file: upstream lines, pod FQDN line and the HostAliases section', () => {
  const text = managedHostsFileContent(['10.244.0.5'], 'web-0', 'web.ns.svc.cluster.local', [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }]);
  assert.equal(
    text,
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
      '10.244.0.5\tweb-0.web.ns.svc.cluster.local\tweb-0\n\n# Entries added by HostAliases.\n1.2.3.4\ta\tb\n',
  );
  assert.match(managedHostsFileContent(['10.244.0.5'], 'p', ''), /\n10\.244\.0\.5\tp\n$/);
});

test('hostname and domain: spec.hostname, subdomain, 63-char truncation, FQDN', () => {
  assert.deepEqual(podHostnameAndDomain(pod({ subdomain: 'web' }), 'cluster.local'), { hostname: 'web-0', domain: 'web.ns.svc.cluster.local' });
  assert.equal(podHostnameAndDomain(pod({ hostname: 'h' }), 'cluster.local').hostname, 'h');
  assert.equal(podHostnameAndDomain(pod({}, 'a'.repeat(62) + '-b'), 'c').hostname, 'a'.repeat(62));
  assert.equal(sandboxHostname(pod({ subdomain: 'web', setHostnameAsFQDN: true }), 'cluster.local'), 'web-0.web.ns.svc.cluster.local');
  assert.equal(sandboxHostname(pod({ hostNetwork: true }), 'cluster.local'), '');
  assert.throws(() => sandboxHostname(pod({ subdomain: 'w'.repeat(40), setHostnameAsFQDN: true }), 'cluster.local'), /is too long \(63 characters is the max/);
});

test('hosts file is mounted once the pod has an IP, or on the host network', () => {
  assert.equal(shouldMountHostsFile(pod(), []), false);
  assert.equal(shouldMountHostsFile(pod(), ['10.0.0.1']), true);
  assert.equal(shouldMountHostsFile(pod({ hostNetwork: true }), []), true);
});

test('ensureEtcHosts writes <podDir>/etc-hosts, from the node file on the host network', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'etc-hosts-'));
  try {
    const path = ensureEtcHosts(dir, pod(), ['10.244.0.9'], 'cluster.local');
    assert.equal(path, join(dir, 'etc-hosts'));
    assert.match(await readFile(path, 'utf8'), /10\.244\.0\.9\tweb-0\n/);
    assert.equal((await stat(path)).mode & 0o777, 0o644);
    await writeFile(join(dir, 'node-hosts'), '127.0.0.1 node\n');
    ensureEtcHosts(dir, pod({ hostNetwork: true, hostAliases: [{ ip: '5.6.7.8', hostnames: ['x'] }] }), [], 'cluster.local', join(dir, 'node-hosts'));
    assert.equal(await readFile(path, 'utf8'), '# Kubernetes-managed hosts file (host network).\n127.0.0.1 node\n\n# Entries added by HostAliases.\n5.6.7.8\tx\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
