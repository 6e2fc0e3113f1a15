// `tugboat node add|stop|start|ls`: manage simulated nodes of a running cluster over HTTPS with the kubeconfig.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Node } from 'kubernetes-types/core/v1';
import type { KObject } from '../api/types';
import { nodeStatusText } from '../api/strategies/node';
import { httpClientFromKubeconfig } from '../client/http-client';
import { R, type Client } from '../client/types';
import {
  HEARTBEATS_ANNOTATION,
  heartbeatsStopped,
  isSimNode,
  parseCapacity,
  parseKeyValues,
  parseTaints,
  simCapacity,
  simNodeObject,
} from '../kubelet/sim/sim-node';
import { Args, checkFlags, flag, parseArgs } from './args';
import { CliError } from './errors';

/** Usage of `tugboat node`, for the command list. */
export const NODE_USAGE = `  node      Manage the nodes of a running cluster (uses --kubeconfig, default $KUBECONFIG or ~/.tugboat/kubeconfig)
            add NAME --sim [--cpu 8] [--memory 32Gi] [--pods 110] [--gpus N] [--ephemeral-storage 100Gi]
                           [--labels k=v,k2=v2] [--taints k=v:NoSchedule,...]   add a simulated node
            stop NAME      stop a sim node's heartbeats (it goes NotReady, its pods are evicted)
            start NAME     resume them
            ls             list nodes with their capacity
`;

const codeOf = (e: unknown) => (e as { code?: number })?.code;

/** The kubeconfig the node command uses: --kubeconfig, else the first path of $KUBECONFIG, else ~/.tugboat/kubeconfig. */
export function nodeKubeconfigPath(args: Args): string {
  const given = flag(args, 'kubeconfig', '');
  if (given) return given;
  return process.env.KUBECONFIG?.split(':').find(Boolean) ?? join(homedir(), '.tugboat', 'kubeconfig');
}

function connect(args: Args): Client {
  const path = nodeKubeconfigPath(args);
  if (!existsSync(path)) throw new CliError(`no kubeconfig at ${path} (start a cluster with \`tugboat up\`, or pass --kubeconfig)`);
  try {
    return httpClientFromKubeconfig(path, 'tugboat-cli');
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

function oneName(args: Args, verb: string): string {
  const [name, extra] = args.positionals;
  if (!name || extra !== undefined) throw new CliError(`usage: tugboat node ${verb} NAME`);
  return name;
}

// The API's own message (e.g. an invalid label), or ours for the common cases.
function apiError(e: unknown, name: string): Error {
  if (codeOf(e) === 404) return new CliError(`node "${name}" not found`);
  if (codeOf(e) === 409) return new CliError(`node "${name}" already exists`);
  return new CliError((e as Error).message);
}

async function add(args: Args): Promise<void> {
  checkFlags(args, ['kubeconfig', 'sim', 'cpu', 'memory', 'pods', 'gpus', 'ephemeral-storage', 'labels', 'taints']);
  const name = oneName(args, 'add');
  if (!args.flags.get('sim')) throw new CliError('only simulated nodes can be added for now: pass --sim');
  const text: string[] = [];
  for (const [fl, res] of [
    ['cpu', 'cpu'],
    ['memory', 'memory'],
    ['pods', 'pods'],
    ['ephemeral-storage', 'ephemeral-storage'],
    ['gpus', 'nvidia.com/gpu'],
  ]) {
    const v = flag(args, fl, '');
    if (v) text.push(`${res}=${v}`);
  }
  let spec;
  try {
    spec = { capacity: parseCapacity(text.join(',')), labels: parseKeyValues(flag(args, 'labels', ''), '--labels'), taints: parseTaints(flag(args, 'taints', '')) };
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const client = connect(args);
  try {
    await client.resource(R.nodes).create('', simNodeObject(name, spec));
  } catch (e) {
    throw apiError(e, name);
  }
  process.stdout.write(`node/${name} added (simulated)\n`);
}

async function setHeartbeats(args: Args, verb: 'stop' | 'start'): Promise<void> {
  checkFlags(args, ['kubeconfig']);
  const name = oneName(args, verb);
  const nodes = connect(args).resource(R.nodes);
  try {
    const node = await nodes.get('', name);
    if (!isSimNode(node)) throw new CliError(`node "${name}" is not a simulated node`);
    if (heartbeatsStopped(node) === (verb === 'stop')) {
      process.stdout.write(`node/${name} heartbeats already ${verb === 'stop' ? 'stopped' : 'running'}\n`);
      return;
    }
    await nodes.patch('', name, 'merge', { metadata: { annotations: { [HEARTBEATS_ANNOTATION]: verb === 'stop' ? 'stopped' : null } } });
  } catch (e) {
    throw e instanceof CliError ? e : apiError(e, name);
  }
  process.stdout.write(`node/${name} heartbeats ${verb === 'stop' ? 'stopped' : 'started'}\n`);
}

/** The `tugboat node ls` table. */
export function nodeTable(nodes: KObject[]): string {
  const rows = [['NAME', 'STATUS', 'SIMULATED', 'HEARTBEATS', 'CPU', 'MEMORY', 'PODS', 'GPUS', 'TAINTS']];
  for (const n of [...nodes].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))) {
    const sim = isSimNode(n);
    const alloc: Record<string, string> = n.status?.allocatable ?? (sim ? simCapacity(n) : {});
    rows.push([
      n.metadata.name!,
      nodeStatusText(n as Node),
      sim ? 'yes' : 'no',
      sim ? (heartbeatsStopped(n) ? 'stopped' : 'running') : '-',
      alloc.cpu ?? '-',
      alloc.memory ?? '-',
      alloc.pods ?? '-',
      alloc['nvidia.com/gpu'] ?? '0',
      String(n.spec?.taints?.length ?? 0),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('')).join('\n') + '\n';
}

async function list(args: Args): Promise<void> {
  checkFlags(args, ['kubeconfig']);
  if (args.positionals.length) throw new CliError('usage: tugboat node ls');
  let items: KObject[];
  try {
    items = (await connect(args).resource(R.nodes).list('')).items;
  } catch (e) {
    throw e instanceof CliError ? e : new CliError((e as Error).message);
  }
  process.stdout.write(items.length ? nodeTable(items) : 'No nodes.\n');
}

/** Runs `tugboat node <verb> ...`. */
export async function node(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  const args = parseArgs(rest, ['sim']);
  switch (verb) {
    case 'add':
      return add(args);
    case 'stop':
    case 'start':
      return setHeartbeats(args, verb);
    case 'ls':
    case 'list':
      return list(args);
    default:
      throw new CliError(verb ? `unknown node command "${verb}"; use add, stop, start or ls` : 'usage: tugboat node add|stop|start|ls');
  }
}
