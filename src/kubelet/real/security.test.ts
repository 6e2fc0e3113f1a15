import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1';
import { containerSecurityContext, DEFAULT_MASKED_PATHS, imageUser, sandboxLinuxConfig, SeccompError, verifyRunAsNonRoot } from './security';

const pod = (spec: Partial<PodSpec>, container: Container = { name: 'app' }): Pod => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'u-1' },
  spec: { containers: [container], ...spec },
});
const root = { uid: 0, username: '' };

test('image user: numeric uid, a name, or root when the image says nothing', () => {
  assert.deepEqual(imageUser({ uid: { value: 65534 }, username: '' }), { uid: 65534, username: '' });
  assert.deepEqual(imageUser({ uid: null, username: 'nginx' }), { username: 'nginx' });
  assert.deepEqual(imageUser({ uid: null, username: '' }), { uid: 0, username: '' });
  assert.deepEqual(imageUser(null), { uid: 0, username: '' });
});

test('runAsNonRoot refuses a root image with upstream message', () => {
  const p = pod({ securityContext: { runAsNonRoot: true } });
  assert.equal(verifyRunAsNonRoot(p, p.spec!.containers[0], root), 'container has runAsNonRoot and image will run as root (pod: "web_ns(u-1)", container: app)');
  assert.equal(verifyRunAsNonRoot(p, p.spec!.containers[0], { uid: 65534, username: '' }), undefined);
  assert.equal(
    verifyRunAsNonRoot(p, p.spec!.containers[0], { username: 'nginx' }),
    'container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root (pod: "web_ns(u-1)", container: app)',
  );
});

test('runAsNonRoot with an explicit user: only uid 0 breaks it; the container overrides the pod', () => {
  const c: Container = { name: 'app', securityContext: { runAsUser: 0 } };
  const p = pod({ securityContext: { runAsNonRoot: true } }, c);
  assert.equal(verifyRunAsNonRoot(p, c, root), `container's runAsUser breaks non-root policy (pod: "web_ns(u-1)", container: app)`);
  const ok: Container = { name: 'app', securityContext: { runAsUser: 1000 } };
  assert.equal(verifyRunAsNonRoot(pod({ securityContext: { runAsNonRoot: true } }, ok), ok, root), undefined);
  const off: Container = { name: 'app', securityContext: { runAsNonRoot: false } };
  assert.equal(verifyRunAsNonRoot(pod({ securityContext: { runAsNonRoot: true } }, off), off, root), undefined);
});

test('defaults: unconfined seccomp, masked paths, no no_new_privs, image uid as the user', () => {
  const p = pod({});
  const sc = containerSecurityContext(p, p.spec!.containers[0], { uid: 65534, username: '' });
  assert.deepEqual(sc.seccomp, { profileType: 'Unconfined', localhostRef: '' });
  assert.deepEqual(sc.maskedPaths, DEFAULT_MASKED_PATHS);
  assert.equal(sc.readonlyPaths.length, 5);
  assert.equal(sc.noNewPrivs, false);
  assert.deepEqual(sc.runAsUser, { value: 65534 });
  assert.equal(sc.runAsUsername, '');
  assert.equal(sc.capabilities, null);
  assert.deepEqual(sc.namespaceOptions, { network: 'POD', pid: 'CONTAINER', ipc: 'POD', targetId: '' });
  const named = containerSecurityContext(p, p.spec!.containers[0], { username: 'nginx' });
  assert.equal(named.runAsUser, null);
  assert.equal(named.runAsUsername, 'nginx');
});

test('pod and container fields merge; container wins', () => {
  const c: Container = {
    name: 'app',
    securityContext: {
      runAsUser: 2000,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
  const p = pod({ securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000, 5000], seccompProfile: { type: 'Unconfined' } }, shareProcessNamespace: true }, c);
  const sc = containerSecurityContext(p, c, root);
  assert.deepEqual(sc.runAsUser, { value: 2000 });
  assert.deepEqual(sc.runAsGroup, { value: 3000 });
  assert.deepEqual(sc.supplementalGroups, [2000, 4000, 5000]);
  assert.equal(sc.readonlyRootfs, true);
  assert.equal(sc.noNewPrivs, true);
  assert.deepEqual(sc.capabilities, { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] });
  assert.deepEqual(sc.seccomp, { profileType: 'RuntimeDefault', localhostRef: '' });
  assert.equal(sc.namespaceOptions?.pid, 'POD');
});

test('privileged, host namespaces, Unmasked procMount, Localhost seccomp', () => {
  const c: Container = { name: 'app', securityContext: { privileged: true, procMount: 'Unmasked', seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } };
  const p = pod({ hostNetwork: true, hostPID: true, hostIPC: true }, c);
  const sc = containerSecurityContext(p, c, root, { seccompProfileRoot: '/data/seccomp' });
  assert.equal(sc.privileged, true);
  assert.deepEqual(sc.maskedPaths, []);
  assert.deepEqual(sc.namespaceOptions, { network: 'NODE', pid: 'NODE', ipc: 'NODE', targetId: '' });
  assert.deepEqual(sc.seccomp, { profileType: 'Localhost', localhostRef: '/data/seccomp/p.json' });
  const bad: Container = { name: 'app', securityContext: { seccompProfile: { type: 'Localhost' } } };
  assert.throws(() => containerSecurityContext(pod({}, bad), bad, root), SeccompError);
  assert.equal(containerSecurityContext(pod({}), { name: 'app' }, root, { seccompDefault: true }).seccomp?.profileType, 'RuntimeDefault');
});

test('sandbox config: sysctls, pod user, groups, privileged when any container is, the node\'s pause profile', () => {
  const p = pod({ securityContext: { runAsUser: 1000, fsGroup: 7, seccompProfile: { type: 'Unconfined' }, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] }, initContainers: [{ name: 'i', securityContext: { privileged: true } }] });
  const cfg = sandboxLinuxConfig(p, '/kubepods/besteffort/podu-1', { profileType: 'Localhost', localhostRef: '/data/seccomp/tugboat-pause.json' });
  assert.equal(cfg.cgroupParent, '/kubepods/besteffort/podu-1');
  assert.deepEqual(cfg.sysctls, { 'net.ipv4.ip_unprivileged_port_start': '0' });
  assert.deepEqual(cfg.securityContext?.runAsUser, { value: 1000 });
  assert.deepEqual(cfg.securityContext?.supplementalGroups, [7]);
  assert.equal(cfg.securityContext?.privileged, true);
  // The node's pause profile, whatever the pod's own profile is.
  assert.deepEqual(cfg.securityContext?.seccomp, { profileType: 'Localhost', localhostRef: '/data/seccomp/tugboat-pause.json' });
});
