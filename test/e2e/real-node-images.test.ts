// e2e on a real node (containerd): pulls from a local registry (policies, pull secrets, missing images) and `tugboat image import|ls`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImageArchive } from '../../src/images/build';
import { ctr } from '../../src/images/import';
import { localRegistryUnavailable, pushImage, startLocalRegistry, type LocalRegistry } from '../../src/images/registry';
import {
  applyAll,
  BUSYBOX,
  containerStatus,
  createNamespace,
  eventsFor,
  hostDir,
  realNodeSkipReason,
  startRealCluster,
  waitPod,
  watchPods,
  type RealCluster,
} from '../support/real-node';

const skip = realNodeSkipReason() ?? localRegistryUnavailable();
const NS = 'rn-images';
const BIN = join(__dirname, '..', '..', '..', 'bin', 'tugboat.js');
const AUTH = { username: 'puller', password: 'pull-pass-1' };
let c: RealCluster;
let open: LocalRegistry;
let locked: LocalRegistry;
/** Every waiting reason the missing image's pod went through, in order. */
const missingReasons: string[] = [];
let stopWatch: (() => void) | undefined;
const work = hostDir('rn-images');

/** Runs the tugboat CLI against this cluster's data dir. */
function tugboat(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', c.dataDir], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function pod(name: string, image: string, extra: object = {}, spec: object = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image, ...extra }], ...spec },
  };
}

const echo = (text: string) => ({ command: ['echo', text] });

describe('real node: images', { skip }, () => {
  let pulled: string;
  let privateRef: string;
  let missing: string;

  before(async () => {
    c = await startRealCluster();
    await createNamespace(c, NS);
    open = await startLocalRegistry(join(work.path, 'open'));
    locked = await startLocalRegistry(join(work.path, 'locked'), { auth: AUTH });
    // containerd talks plain HTTP to registries on loopback without any hosts.toml.
    pulled = `${open.host}/test/busybox:1`;
    privateRef = `${locked.host}/private/busybox:1`;
    missing = `${open.host}/test/missing:1`;
    await pushImage(c.criEndpoint, BUSYBOX, pulled);
    await pushImage(c.criEndpoint, BUSYBOX, privateRef, `${AUTH.username}:${AUTH.password}`);
    // Only the registries have them now, so the pods below must pull.
    await ctr(c.criEndpoint, ['images', 'rm', pulled, privateRef]);
    c.k([
      '-n', NS, 'create', 'secret', 'docker-registry', 'regcred',
      `--docker-server=${locked.host}`, `--docker-username=${AUTH.username}`, `--docker-password=${AUTH.password}`,
    ]);
    const pods = [
      pod('pulled', pulled, { imagePullPolicy: 'Always', ...echo('pulled from the registry') }),
      pod('present', BUSYBOX, { imagePullPolicy: 'IfNotPresent', ...echo('already here') }),
      pod('never', `${open.host}/test/absent:1`, { imagePullPolicy: 'Never' }),
      pod('missing', missing, { imagePullPolicy: 'IfNotPresent' }),
      pod('with-secret', privateRef, { imagePullPolicy: 'Always', ...echo('private image') }, { imagePullSecrets: [{ name: 'regcred' }] }),
      pod('without-secret', privateRef, { imagePullPolicy: 'Always' }),
    ];
    // Watch the missing image's pod from before it exists, so the short-lived ErrImagePull state is seen too.
    stopWatch = await watchPods(c, NS, (p) => {
      const reason = p.metadata.name === 'missing' && containerStatus(p, 'main')?.state?.waiting?.reason;
      if (reason && missingReasons[missingReasons.length - 1] !== reason) missingReasons.push(reason);
    });
    applyAll(c, pods);
  });
  after(async () => {
    stopWatch?.();
    await c?.stop();
    await open?.stop();
    await locked?.stop();
    work.remove();
  });

  test('a pull from the local registry works (imagePullPolicy Always) and the image is listed', async () => {
    await waitPod(c, NS, 'pulled', 'Succeeded', (p) => p.status?.phase === 'Succeeded', 60_000);
    assert.equal(c.k(['-n', NS, 'logs', 'pulled']), 'pulled from the registry\n');
    const events = await eventsFor(c, NS, 'pulled');
    assert.ok(events.includes(`Pulling: Pulling image "${pulled}"`), events.join('\n'));
    assert.ok(events.some((e) => e.startsWith(`Pulled: Successfully pulled image "${pulled}" in `)), events.join('\n'));
    const ls = tugboat(['image', 'ls']);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, new RegExp(`^${pulled.replace(/[.:/]/g, '\\$&')}\\s`, 'm'));
  });

  test('IfNotPresent uses the image on the node; Never with a missing image is ErrImageNeverPull', async () => {
    await waitPod(c, NS, 'present', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
    const events = await eventsFor(c, NS, 'present');
    assert.ok(events.includes(`Pulled: Container image "${BUSYBOX}" already present on machine`), events.join('\n'));
    const ref = `${open.host}/test/absent:1`;
    const p = await waitPod(c, NS, 'never', 'ErrImageNeverPull', (p) => containerStatus(p, 'main')?.state?.waiting?.reason === 'ErrImageNeverPull');
    assert.equal(containerStatus(p, 'main').state.waiting.message, `Container image "${ref}" is not present with pull policy of Never`);
  });

  test('a missing image gives ErrImagePull, then ImagePullBackOff, with clear events', async () => {
    const p = await waitPod(c, NS, 'missing', 'ImagePullBackOff', (p) => containerStatus(p, 'main')?.state?.waiting?.reason === 'ImagePullBackOff', 60_000);
    // 1.32 may append the last pull error after a colon.
    assert.ok(containerStatus(p, 'main').state.waiting.message.startsWith(`Back-off pulling image "${missing}"`), containerStatus(p, 'main').state.waiting.message);
    assert.equal(p.status.phase, 'Pending');
    const seen = missingReasons;
    const first = seen.indexOf('ErrImagePull');
    assert.ok(first >= 0 && seen.indexOf('ImagePullBackOff') > first, `waiting reasons seen: ${seen.join(', ')}`);
    const events = await eventsFor(c, NS, 'missing');
    const want = [
      new RegExp(`^Failed: Failed to pull image "${missing.replace(/[.:/]/g, '\\$&')}": .*not found`),
      /^Failed: Error: ErrImagePull$/,
      new RegExp(`^BackOff: Back-off pulling image "${missing.replace(/[.:/]/g, '\\$&')}"`),
      /^Failed: Error: ImagePullBackOff$/,
    ];
    for (const w of want) assert.ok(events.some((e) => w.test(e)), `no event like ${w}:\n${events.join('\n')}`);
  });

  test('imagePullSecrets authenticate the pull; without them the registry refuses', async () => {
    await waitPod(c, NS, 'with-secret', 'Succeeded', (p) => p.status?.phase === 'Succeeded', 60_000);
    assert.equal(c.k(['-n', NS, 'logs', 'with-secret']), 'private image\n');
    await waitPod(c, NS, 'without-secret', 'pull refused', (p) => /^(ErrImagePull|ImagePullBackOff)$/.test(containerStatus(p, 'main')?.state?.waiting?.reason ?? ''), 60_000);
    const events = await eventsFor(c, NS, 'without-secret');
    assert.ok(events.some((e) => /^Failed: Failed to pull image .*(401|[Uu]nauthorized|authorization)/.test(e)), events.join('\n'));
  });

  test('tugboat image import takes docker-save and OCI archives; pods run them with imagePullPolicy Never', async () => {
    for (const format of ['docker', 'oci'] as const) {
      const name = `tugboat.local/imported-${format}:1`;
      const file = join(work.path, `${format}.tar`);
      writeFileSync(file, buildImageArchive([{ name, config: { Cmd: ['echo', `ran the ${format} image`], Env: ['PATH=/bin'] } }], format));
      const r = tugboat(['image', 'import', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `imported ${name}\n`);
    }
    const ls = tugboat(['image', 'ls']);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^IMAGE\s+ID\s+SIZE$/m);
    for (const format of ['docker', 'oci']) assert.match(ls.stdout, new RegExp(`^tugboat\\.local/imported-${format}:1\\s`, 'm'));
    applyAll(c, ['docker', 'oci'].map((f) => pod(`imported-${f}`, `tugboat.local/imported-${f}:1`, { imagePullPolicy: 'Never' })));
    for (const format of ['docker', 'oci']) {
      await waitPod(c, NS, `imported-${format}`, 'Succeeded', (p) => p.status?.phase === 'Succeeded');
      assert.equal(c.k(['-n', NS, 'logs', `imported-${format}`]), `ran the ${format} image\n`, 'the image Cmd runs');
    }
    const bad = tugboat(['image', 'import', join(work.path, 'nope.tar')]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /no such file/);
  });
});
