// e2e on a real node (containerd): kubectl port-forward, exec -i/-it, attach, cp, and logs with -f/--previous/--tail/--since/-c/--timestamps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import {
  applyAll,
  containerStatus,
  hostDir,
  kubectlBackground,
  realNodeSkipReason,
  sh,
  runningAndReady,
  podsIn,
  startRealClusterWith,
  until,
  waitPod,
  type RealCluster,
} from '../support/real-node';

const skip = realNodeSkipReason();
const NS = 'rn-streams';
let c: RealCluster;
const local = hostDir('rn-streams');

const pod = podsIn(NS, { terminationGracePeriodSeconds: 1 });

function manifests(): object[] {
  return [
    pod('web', {
      containers: [
        sh('httpd', 'mkdir -p /www && echo "served through port-forward" > /www/file.txt && exec httpd -f -p 8080 -h /www', {
          ports: [{ containerPort: 8080 }],
        }),
      ],
    }),
    pod('shell', { containers: [sh('main', 'exec sleep 3600')] }),
    // Crashes on its first run only: the emptyDir keeps the run count across the restart.
    pod('twice', {
      volumes: [{ name: 'd', emptyDir: {} }],
      containers: [
        sh('main', 'n=$(cat /d/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /d/n; echo run $n; [ $n -ge 2 ] || exit 1; exec sleep 3600', {
          volumeMounts: [{ name: 'd', mountPath: '/d' }],
        }),
      ],
    }),
    pod('counted', { containers: [sh('main', 'for i in $(seq 1 10); do echo $i; done; exec sleep 3600')] }),
    pod('since', { containers: [sh('main', 'echo early; sleep 5; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.5; done')] }),
    pod('two', { containers: [sh('a', 'echo from a; exec sleep 3600'), sh('b', 'echo from b; exec sleep 3600')] }),
    pod('echoer', { containers: [sh('main', 'while read l; do echo "got $l"; done; exec sleep 3600', { stdin: true, stdinOnce: true })] }),
  ];
}

/** GETs a URL on loopback and returns the body. */
function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

describe('real node: port-forward, exec, attach, cp, logs', { skip }, () => {
  before(async () => {
    c = await startRealClusterWith(NS, manifests());
  });
  after(async () => {
    await c?.stop();
    local.remove();
  });

  test('kubectl port-forward to a busybox httpd serves a file', async () => {
    await waitPod(c, NS, 'web', 'Running and Ready', runningAndReady);
    const pf = kubectlBackground(c, ['-n', NS, 'port-forward', 'pod/web', ':8080']);
    try {
      const port = await until('port-forward to listen', () => /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/.exec(pf.stdout())?.[1], 20_000, () => pf.stderr() + c.logs());
      for (let i = 0; i < 2; i++) {
        const r = await httpGet(`http://127.0.0.1:${port}/file.txt`);
        assert.equal(r.status, 200);
        assert.equal(r.body, 'served through port-forward\n');
      }
      assert.equal((await httpGet(`http://127.0.0.1:${port}/missing`)).status, 404);
    } finally {
      await pf.stop();
    }
  });

  test('kubectl exec -i passes stdin through, large and small', async () => {
    await waitPod(c, NS, 'shell', 'Running and Ready', runningAndReady);
    assert.equal(c.k(['-n', NS, 'exec', '-i', 'shell', '--', 'tr', 'a-z', 'A-Z'], 'hello stdin\n'), 'HELLO STDIN\n');
    const big = randomBytes(1 << 20).toString('base64');
    assert.equal(c.k(['-n', NS, 'exec', '-i', 'shell', '--', 'sh', '-c', 'wc -c | tr -d " "'], big).trim(), String(big.length));
  });

  test('kubectl exec -it gets a terminal', async () => {
    await waitPod(c, NS, 'shell', 'Running and Ready', runningAndReady);
    // script(1) gives kubectl a local terminal, as a user's shell would.
    // script's terminal has no size here (0x0), so only the tty itself is checked; resize is covered by the unit tests.
    const cmd = `kubectl -n ${NS} exec -it shell -- sh -c 'tty; test -t 0 && echo stdin-is-a-terminal'`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      env: { ...process.env, KUBECONFIG: c.kubeconfig, HOME: c.dataDir },
      encoding: 'utf8',
      input: '',
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\/dev\/pts\/\d+/);
    assert.match(r.stdout, /stdin-is-a-terminal/);
  });

  test('kubectl cp copies files into and out of a container', async () => {
    await waitPod(c, NS, 'shell', 'Running and Ready', runningAndReady);
    const data = randomBytes(300_000);
    const src = join(local.path, 'in.bin');
    writeFileSync(src, data);
    c.k(['cp', src, `${NS}/shell:/tmp/in.bin`]);
    assert.equal(c.k(['-n', NS, 'exec', 'shell', '--', 'md5sum', '/tmp/in.bin']).split(' ')[0], md5(data));
    const back = join(local.path, 'out.bin');
    c.k(['cp', `${NS}/shell:/tmp/in.bin`, back]);
    assert.equal(md5(readFileSync(back)), md5(data));
  });

  test('kubectl attach shows the main process output and sends it stdin', async () => {
    await waitPod(c, NS, 'echoer', 'Running and Ready', runningAndReady);
    const att = kubectlBackground(c, ['-n', NS, 'attach', '-i', 'echoer'], { openStdin: true });
    try {
      // As a user would, type once attached (kubectl prints its prompt hint then), and again if the line was early.
      await until('attach to connect', () => att.stderr().includes("If you don't see a command prompt"), 20_000, () => att.stderr() + c.logs());
      await until(
        'attach to relay the answer',
        () => att.stdout().includes('got ping') || (att.proc.stdin?.write('ping\n'), false),
        20_000,
        () => att.stderr() + c.logs(),
      );
    } finally {
      att.proc.stdin?.end();
      await att.stop();
    }
    await until('the answer in the log', () => c.kubectl(['-n', NS, 'logs', 'echoer']).stdout.includes('got ping\n'), 10_000);
  });

  test('kubectl logs -f follows until the container exits', async () => {
    // Created here rather than with the others, so that it is still running when kubectl starts following.
    applyAll(c, [pod('follow', { restartPolicy: 'Never', containers: [sh('main', 'sleep 1; for i in 1 2 3 4 5 6; do echo line $i; sleep 0.5; done')] })]);
    await waitPod(c, NS, 'follow', 'Running', (p) => p.status?.phase === 'Running');
    const f = kubectlBackground(c, ['-n', NS, 'logs', '-f', 'follow']);
    // What kubectl had printed when the first line arrived: following streams lines as they come.
    const firstSeen = await until('the first line', () => (f.stdout().includes('line 1') ? f.stdout() : undefined), 20_000, () => f.stderr() + c.logs());
    const code = await Promise.race([f.exited, new Promise((r) => setTimeout(() => r('still following after 30 s'), 30_000))]);
    await f.stop();
    assert.equal(code, 0, f.stderr());
    assert.ok(!firstSeen.includes('line 6'), `kubectl printed everything at once: ${firstSeen}`);
    assert.equal(f.stdout(), 'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n');
  });

  test('kubectl logs --previous shows the run before the restart', async () => {
    const p = await waitPod(c, NS, 'twice', 'restarted and Ready', (p) => containerStatus(p, 'main')?.restartCount === 1 && runningAndReady(p), 45_000);
    assert.equal(containerStatus(p, 'main').lastState.terminated.exitCode, 1);
    assert.equal(c.k(['-n', NS, 'logs', 'twice']), 'run 2\n');
    assert.equal(c.k(['-n', NS, 'logs', 'twice', '--previous']), 'run 1\n');
    const none = c.kubectl(['-n', NS, 'logs', 'counted', '--previous']);
    assert.notEqual(none.code, 0, 'no previous instance: an error');
    assert.match(none.stderr, /previous terminated container "main" in pod "counted" not found/);
  });

  test('kubectl logs --tail and --limit-bytes', async () => {
    await waitPod(c, NS, 'counted', 'Running and Ready', runningAndReady);
    await until('all ten lines', () => c.kubectl(['-n', NS, 'logs', 'counted']).stdout.endsWith('\n10\n'), 10_000);
    assert.equal(c.k(['-n', NS, 'logs', 'counted', '--tail=3']), '8\n9\n10\n');
    assert.equal(c.k(['-n', NS, 'logs', 'counted', '--tail=0']), '');
    assert.equal(c.k(['-n', NS, 'logs', 'counted', '--limit-bytes=5']), '1\n2\n3');
  });

  test('kubectl logs -c picks the container', async () => {
    await waitPod(c, NS, 'two', 'Running and Ready', runningAndReady);
    assert.equal(c.k(['-n', NS, 'logs', 'two', '-c', 'b']), 'from b\n');
    assert.equal(c.k(['-n', NS, 'logs', 'two', '-c', 'a']), 'from a\n');
    const bad = c.kubectl(['-n', NS, 'logs', 'two', '-c', 'nope']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /container nope is not valid for pod two/);
  });

  test('kubectl logs --timestamps, --since-time and --since', async () => {
    await waitPod(c, NS, 'since', 'Running', (p) => p.status?.phase === 'Running');
    const stamped = await until(
      'a tick after the early line',
      () => {
        const out = c.kubectl(['-n', NS, 'logs', 'since', '--timestamps']).stdout;
        return out.includes(' tick ') ? out : undefined;
      },
      20_000,
      c.logs,
    );
    const lines = stamped.trimEnd().split('\n');
    for (const l of lines) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) (early|tick \d+)$/);
    const early = Date.parse(lines[0].split(' ')[0]);
    assert.equal(lines[0].split(' ')[1], 'early');
    // The API carries sinceTime in whole seconds; the ticks start 5 s after the early line, so the next second splits them.
    const split = new Date(Math.floor(early / 1000) * 1000 + 1000).toISOString().replace('.000Z', 'Z');
    const after = c.k(['-n', NS, 'logs', 'since', `--since-time=${split}`]);
    assert.ok(!after.includes('early') && after.startsWith('tick 1\n'), after);
    // Every query below is at least 5 s after "early", and ticks come every 0.5 s.
    const recent = c.k(['-n', NS, 'logs', 'since', '--since=3s']);
    assert.ok(!recent.includes('early') && /tick \d+\n$/.test(recent), recent);
    assert.ok(c.k(['-n', NS, 'logs', 'since', '--since=1h']).startsWith('early\ntick 1\n'));
  });
});
