// `tugboat up`: start the store, the API server and the cluster's bootstrap objects, then write the kubeconfig.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { builtinResources } from '../api/kinds';
import { bootstrapCluster } from '../apiserver/bootstrap';
import { createApiServer } from '../apiserver/server';
import { EVENTS_PREFIX } from '../apiserver/watch-cache';
import { openStore } from '../store/open';
import type { Store } from '../store/types';
import { realClock } from '../util/clock';
import { logger } from '../util/log';
import { Args, checkFlags, flag } from './args';
import { CliError } from './errors';
import { buildKubeconfig, defaultKubeconfigPath, mergeKubeconfig, writeKubeconfig } from './kubeconfig';
import { ensurePki, ensureServiceAccountKey } from './pki';
import { tokenKeys } from '../apiserver/serviceaccount/jwt';
import { startControlPlane } from './control-plane';
import { realNodeUnavailable, startRealNode } from './real-node';
import { NodeStreamingRegistry } from '../kubelet/streaming';
import { podStreamingSubresources } from '../apiserver/subresources/pod-streaming';
import { apiServerPlugins } from './plugins';
import { parseGoDuration } from '../util/duration';

const log = logger('up');

/** Flags `tugboat up` accepts. */
export const UP_FLAGS = ['data-dir', 'port', 'store', 'no-merge', 'host', 'sim-nodes', 'no-real-node', 'container-runtime-endpoint', 'event-ttl'];

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

function storeURL(spec: string, dataDir: string): string {
  if (spec === 'sqlite') return `sqlite://${join(dataDir, 'state.db')}`;
  if (spec === 'memory') return 'memory://';
  if (spec.startsWith('etcd://') || spec.startsWith('sqlite://') || spec.startsWith('memory://')) return spec;
  throw new CliError(`--store must be sqlite, memory or etcd://host:port, not "${spec}"`);
}

function checkDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new CliError(`cannot use data dir ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (pick another with --data-dir)`);
  }
}

/** Runs the cluster in the foreground until SIGINT/SIGTERM. */
export async function up(args: Args, version: string): Promise<void> {
  checkFlags(args, UP_FLAGS);
  const dataDir = resolve(expandHome(flag(args, 'data-dir', '~/.tugboat')));
  const portText = flag(args, 'port', '6443');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number, not "${portText}"`);
  const host = flag(args, 'host', '127.0.0.1');
  checkDataDir(dataDir);
  const url = storeURL(flag(args, 'store', 'sqlite'), dataDir);
  const simText = flag(args, 'sim-nodes', '0');
  const simNodes = Number(simText);
  if (!Number.isInteger(simNodes) || simNodes < 0) throw new CliError(`--sim-nodes must be a number of nodes, not "${simText}"`);

  const ttlText = flag(args, 'event-ttl', '1h');
  let eventTTLMs: number;
  try {
    eventTTLMs = parseGoDuration(ttlText);
  } catch {
    throw new CliError(`--event-ttl must be a duration such as 1h or 30m, not "${ttlText}"`);
  }
  if (eventTTLMs <= 0) throw new CliError(`--event-ttl must be longer than 0, not "${ttlText}"`);

  const runtimeEndpoint = flag(args, 'container-runtime-endpoint', '');
  const noRealNodeReason = args.flags.get('no-real-node') ? undefined : realNodeUnavailable(runtimeEndpoint || undefined);
  const wantRealNode = !args.flags.get('no-real-node') && !noRealNodeReason;

  let store: Store;
  try {
    // Like the upstream apiserver, drop history every 5 minutes; watches further back than the retained window get 410.
    // Events are acknowledged without waiting for their own disk sync (see SqliteStoreOptions.bestEffortPrefixes).
    store = await openStore(url, { compactIntervalMs: 5 * 60_000, retainRevisions: 10_000, bestEffortPrefixes: [EVENTS_PREFIX] });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const pki = ensurePki(join(dataDir, 'pki'));
  const resources = builtinResources();
  const api = await createApiServer({
    store,
    resources,
    clock: realClock,
    tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert },
    version,
    tokenKeys: tokenKeys(ensureServiceAccountKey(pki.dir)),
    eventTTLMs,
    ...apiServerPlugins(resources),
  });
  await bootstrapCluster(api);
  const streaming = new NodeStreamingRegistry();
  for (const { sub, handler } of podStreamingSubresources(streaming)) api.addSubresource(sub, handler);
  let bound: number;
  try {
    bound = await api.listen(port, host);
  } catch (e) {
    await api.close();
    await store.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use (another tugboat or API server?); pick another with --port`);
    throw new CliError(`cannot listen on ${host}:${port}: ${(e as Error).message}`);
  }
  const controlPlane = startControlPlane(api, { clock: realClock, simNodes, caCert: pki.caCert });
  const server = `https://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`;
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  const cfg = buildKubeconfig(server, pki);
  writeKubeconfig(kubeconfigPath, cfg);
  if (!args.flags.get('no-merge')) mergeKubeconfig(defaultKubeconfigPath(), cfg);
  const ms = Math.round(performance.now());
  if (noRealNodeReason) process.stdout.write(`tugboat: no real node: ${noRealNodeReason}\n`);
  process.stdout.write(`tugboat ready in ${ms} ms at ${server} (store ${url.split('://')[0]}, kubeconfig ${kubeconfigPath})\n`);
  log.info('ready', { server, store: url, dataDir, ms });
  // The real node joins after the API is ready, as a kubelet joins a cluster: kubectl works meanwhile.
  const realNode = wantRealNode ? startRealNode(api, { dataDir, clock: realClock, streaming, endpoint: runtimeEndpoint || undefined }).then(
    (n) => {
      process.stdout.write(`tugboat: real node ${n.nodeName} ready (${n.runtime})\n`);
      return n;
    },
    (e) => {
      process.stdout.write(`tugboat: no real node: ${(e as Error).message.split('\n')[0]}\n`);
      return undefined;
    },
  ) : undefined;

  await new Promise<void>((resolveStop) => {
    const stop = (sig: string) => {
      log.info('shutting down', { signal: sig });
      resolveStop();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await (await realNode)?.shutdown();
  controlPlane.stop();
  await api.close();
  await store.close();
}
