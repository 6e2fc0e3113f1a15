import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensurePodMasquerade, masqueradeChain, masqueradeRules } from './masquerade';

test('the chain returns for the pod CIDR and multicast and masquerades the rest; one chain per CIDR, within iptables name limits', () => {
  const chain = masqueradeChain('10.244.0.0/24');
  assert.ok(chain.length <= 28, chain);
  assert.notEqual(chain, masqueradeChain('10.250.3.0/24'));
  assert.deepEqual(masqueradeRules('10.244.0.0/24').split('\n'), [
    '*nat',
    `:${chain} - [0:0]`,
    `-A ${chain} -d 10.244.0.0/24 -j RETURN`,
    `-A ${chain} -d 224.0.0.0/4 -j RETURN`,
    `-A ${chain} -j MASQUERADE`,
    'COMMIT',
    '',
  ]);
});

test('the POSTROUTING jump is added only when the check finds none', async () => {
  const calls: string[] = [];
  let present = false;
  const runner = async (cmd: string, args: string[]) => {
    calls.push(`${cmd} ${args.slice(0, 3).join(' ')}`);
    if (args[2] === '-C' && !present) throw new Error('Bad rule');
    if (args[2] === '-A') present = true;
  };
  await ensurePodMasquerade('10.244.0.0/24', runner);
  await ensurePodMasquerade('10.244.0.0/24', runner);
  assert.deepEqual(calls, [
    'iptables-restore --noflush',
    'iptables -t nat -C',
    'iptables -t nat -A',
    'iptables-restore --noflush',
    'iptables -t nat -C',
  ]);
});
