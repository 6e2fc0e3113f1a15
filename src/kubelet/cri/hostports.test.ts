import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostPorts, hostportChains, hostportRules, type HostPortMapping } from './hostports';

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
