import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1';
import { clusterDNSIP, parseResolvConf, podDNSConfig, type DNSSettings } from './dns';

const host = parseResolvConf('# generated\nnameserver 192.168.1.1\nnameserver 192.168.1.2\nsearch corp.example. lab.example\noptions edns0 ndots:2\n');
const settings: DNSSettings = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', host };
const pod = (spec: Partial<PodSpec> = {}): Pod => ({ metadata: { name: 'p', namespace: 'team', uid: 'u' }, spec: { containers: [], ...spec } });

test('cluster DNS is the 10th address of the service CIDR', () => {
  assert.equal(clusterDNSIP('10.96.0.0/12'), '10.96.0.10');
  assert.equal(clusterDNSIP('10.43.0.0/16'), '10.43.0.10');
});

test('resolv.conf parsing: servers, searches without trailing dots, options', () => {
  assert.deepEqual(host, { servers: ['192.168.1.1', '192.168.1.2'], searches: ['corp.example', 'lab.example'], options: ['edns0', 'ndots:2'] });
});

test('ClusterFirst: cluster server, namespace searches then the host ones, ndots:5', () => {
  const { config, events } = podDNSConfig(pod(), settings);
  assert.deepEqual(config, {
    servers: ['10.96.0.10'],
    searches: ['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
    options: ['ndots:5'],
  });
  assert.deepEqual(events, []);
});

test('ClusterFirst on the host network uses the host; ClusterFirstWithHostNet the cluster', () => {
  assert.deepEqual(podDNSConfig(pod({ hostNetwork: true }), settings).config, host);
  assert.deepEqual(podDNSConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), settings).config.servers, ['10.96.0.10']);
  assert.deepEqual(podDNSConfig(pod({ dnsPolicy: 'Default' }), settings).config, host);
});

test('None with dnsConfig: only what the pod says; options merge by name', () => {
  const p = pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '1' }, { name: 'rotate' }] } });
  assert.deepEqual(podDNSConfig(p, settings).config, { servers: ['1.1.1.1'], searches: ['a.example'], options: ['ndots:1', 'rotate'] });
  const merged = podDNSConfig(pod({ dnsConfig: { nameservers: ['10.96.0.10', '8.8.8.8'], options: [{ name: 'ndots', value: '2' }] } }), settings).config;
  assert.deepEqual(merged.servers, ['10.96.0.10', '8.8.8.8']);
  assert.deepEqual(merged.options, ['ndots:2']);
});

test('no cluster DNS: falls back to the host with a MissingClusterDNS event', () => {
  const { config, events } = podDNSConfig(pod(), { ...settings, clusterDNS: [] });
  assert.deepEqual(config, host);
  assert.equal(events[0].reason, 'MissingClusterDNS');
  assert.equal(events[0].message, 'pod: "p_team(u)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.');
});

test('more than 3 nameservers are cut with a DNSConfigForming event', () => {
  const { config, events } = podDNSConfig(pod({ dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'] } }), settings);
  assert.deepEqual(config.servers, ['10.96.0.10', '1.1.1.1', '2.2.2.2']);
  assert.equal(events[0].message, 'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.96.0.10 1.1.1.1 2.2.2.2');
});
