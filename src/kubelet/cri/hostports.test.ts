import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { HostPorts, hostportChains, hostportRules, type HostPortMapping } from './hostports';
import { runCommand } from './masquerade';

const web: HostPortMapping = { protocol: 'TCP', hostPort: 8080, podIP: '10.244.0.5', containerPort: 80, pod: 'default/web' };

test('each hostPort is DNATed to its pod; connections from pods and from loopback are marked for masquerade', () => {
  const { ports, masq } = hostportChains('10.244.0.0/24');
  assert.ok(masq.length <= 28, masq);
  assert.notEqual(ports, hostportChains('10.250.3.0/24').ports);
  const dns: HostPortMapping = { protocol: 'UDP', hostPort: 5353, hostIP: '192.168.1.10', podIP: '10.244.0.6', containerPort: 53, pod: 'kube-system/dns' };
  assert.deepEqual(hostportRules('10.244.0.0/24', [web, dns]).split('\n'), [
    '*nat',
    `:${ports} - [0:0]`,
    `:${masq} - [0:0]`,
    `-A ${ports} -p tcp -m tcp --dport 8080 -m comment --comment "default/web hostPort 8080" -s 10.244.0.0/24 -j MARK --set-xmark 0x2000/0x2000`,
    `-A ${ports} -p tcp -m tcp --dport 8080 -m comment --comment "default/web hostPort 8080" -s 127.0.0.0/8 -j MARK --set-xmark 0x2000/0x2000`,
    `-A ${ports} -p tcp -m tcp --dport 8080 -m comment --comment "default/web hostPort 8080" -j DNAT --to-destination 10.244.0.5:80`,
    `-A ${ports} -p udp -m udp --dport 5353 -d 192.168.1.10 -m comment --comment "kube-system/dns hostPort 5353" -s 10.244.0.0/24 -j MARK --set-xmark 0x2000/0x2000`,
    `-A ${ports} -p udp -m udp --dport 5353 -d 192.168.1.10 -m comment --comment "kube-system/dns hostPort 5353" -s 127.0.0.0/8 -j MARK --set-xmark 0x2000/0x2000`,
    `-A ${ports} -p udp -m udp --dport 5353 -d 192.168.1.10 -m comment --comment "kube-system/dns hostPort 5353" -j DNAT --to-destination 10.244.0.6:53`,
    `-A ${masq} -m mark --mark 0x2000/0x2000 -j MASQUERADE`,
    'COMMIT',
    '',
  ]);
});

test('rules are rewritten only when the mappings change; the jumps are added once, when missing', async () => {
  const calls: string[] = [];
  const restored: string[] = [];
  const runner = async (cmd: string, args: string[], input?: string) => {
    calls.push(`${cmd} ${args.slice(0, 4).join(' ')}`);
    if (input) restored.push(input);
    if (args[2] === '-C') throw new Error('Bad rule');
  };
  const hp = new HostPorts('10.244.0.0/24', 'tgbnone', runner);
  await hp.set('uid-none', []); // a pod without hostPorts going away
  assert.equal(calls.length, 0);
  await hp.set('uid-web', [web]);
  await hp.set('uid-web', [web]); // the same: nothing to do
  assert.equal(restored.length, 1);
  assert.deepEqual(calls.slice(1).map((c) => c.split(' ').slice(0, 5).join(' ')), [
    'iptables -t nat -C PREROUTING',
    'iptables -t nat -A PREROUTING',
    'iptables -t nat -C OUTPUT',
    'iptables -t nat -A OUTPUT',
    'iptables -t nat -C POSTROUTING',
    'iptables -t nat -A POSTROUTING',
  ]);
  calls.length = 0;
  // Changes made while a write is queued fold into it: the rules written are those of every call so far.
  await Promise.all([hp.set('uid-other', [{ ...web, hostPort: 9090, pod: 'default/other' }]), hp.set('uid-web', [])]);
  assert.deepEqual(calls, ['iptables-restore --noflush']);
  assert.match(restored.at(-1)!, /--dport 9090/);
  assert.doesNotMatch(restored.at(-1)!, /--dport 8080/);
});

test('a UDP hostPort forwarded anew or elsewhere has its conntrack entries cleared once its rule is in; TCP and unchanged ports do not', async () => {
  const calls: string[] = [];
  const runner = async (cmd: string, args: string[]) => {
    calls.push(`${cmd} ${args.join(' ')}`);
    if (cmd === 'conntrack') throw new Error('conntrack -D: conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.');
  };
  const hp = new HostPorts('10.244.0.0/24', 'tgbnone', runner);
  const dns: HostPortMapping = { protocol: 'UDP', hostPort: 5353, podIP: '10.244.0.6', containerPort: 53, pod: 'kube-system/dns' };
  await hp.set('uid-web', [web]);
  assert.equal(calls.filter((c) => c.startsWith('conntrack')).length, 0);
  calls.length = 0;
  await hp.set('uid-dns', [dns]);
  assert.deepEqual(calls, ['iptables-restore --noflush', 'conntrack -D -p udp --dport 5353']);
  calls.length = 0;
  await hp.set('uid-web', []); // 5353 still forwarded: nothing to clear
  assert.deepEqual(calls, ['iptables-restore --noflush']);
  calls.length = 0;
  // The pod is replaced by one with another IP in the same rewrite: the port now goes elsewhere.
  await Promise.all([hp.set('uid-dns', []), hp.set('uid-dns2', [{ ...dns, podIP: '10.244.0.7' }])]);
  assert.deepEqual(calls, ['iptables-restore --noflush', 'conntrack -D -p udp --dport 5353']);
});

test('without conntrack(8), UDP hostPorts still work and the rest is skipped', async () => {
  const calls: string[] = [];
  const runner = async (cmd: string) => {
    calls.push(cmd);
    if (cmd === 'conntrack') throw new Error('spawn conntrack ENOENT');
  };
  const hp = new HostPorts('10.244.0.0/24', 'tgbnone', runner);
  await hp.set('a', [{ protocol: 'UDP', hostPort: 1, podIP: '10.244.0.6', containerPort: 1, pod: 'a/a' }]);
  await hp.set('b', [{ protocol: 'UDP', hostPort: 2, podIP: '10.244.0.7', containerPort: 1, pod: 'b/b' }]);
  assert.equal(calls.filter((c) => c === 'conntrack').length, 1, 'looked for once');
});

/** Why the real test cannot run here, if it cannot. */
function realSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const tool of ['conntrack', 'iptables']) if (spawnSync(tool, ['--version']).status !== 0) return `needs ${tool}`;
  return undefined;
}
const realSkip = realSkipReason();

test('for real: a UDP flow to the port before its rule existed is gone once the rule is in', { skip: realSkip }, async () => {
  const n = process.pid % 250;
  const port = 40_000 + (process.pid % 10_000);
  const hp = new HostPorts(`10.251.${n}.0/24`, 'tgbnone', runCommand);
  const flows = () => spawnSync('conntrack', ['-L', '-p', 'udp', '--dport', String(port)], { encoding: 'utf8' }).stdout.trim();
  try {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.send('ping', port, '127.0.0.1', () => r()));
    sock.close();
    assert.match(flows(), new RegExp(`dport=${port}\\b`), 'the packet left a conntrack entry');
    await hp.set('uid-udp', [{ protocol: 'UDP', hostPort: port, podIP: `10.251.${n}.5`, containerPort: 53, pod: 'test/udp' }]);
    assert.equal(flows(), '', 'entry deleted');
  } finally {
    await hp.remove();
  }
});
