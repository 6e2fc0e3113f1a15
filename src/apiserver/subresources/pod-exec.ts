// pods/exec and pods/attach: WebSocket (v5/v4.channel.k8s.io) or SPDY/3.1 sessions relayed to the runtime's streaming server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, internalError, isStatusError, methodNotAllowed } from '../../machinery/errors';
import type { NodeStreamingRegistry, StreamOptions } from '../../kubelet/streaming';
import type { SubresourceHandler } from '../handlers/context';
import { dialUpgrade, UpgradeRefused } from '../websocket/dial';
import { REMOTECOMMAND_PROTOCOLS, relayRemoteCommand, SPDY_REMOTECOMMAND_PROTOCOL } from '../websocket/remotecommand';
import { spliceSpdy, upgradeHeaders } from '../websocket/splice';
import { acceptWebSocket, negotiateSubprotocol, takeSocket, upgradeKind } from '../websocket/upgrade';
import { kubeletOf, readPod, resolveContainer } from './pod-kubelet';

/** PodExecOptions / PodAttachOptions from the query. */
export interface RemoteCommandOptions {
  container?: string;
  command: string[];
  streams: StreamOptions;
}

const flag = (q: URLSearchParams, name: string) => q.get(name) === 'true' || q.get(name) === '1';

/** Reads and checks the options as upstream does; with a TTY stderr is merged into stdout, so there is none. */
export function remoteCommandOptions(q: URLSearchParams, attach: boolean): RemoteCommandOptions {
  const tty = flag(q, 'tty');
  const streams = { stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr') && !tty, tty };
  const command = q.getAll('command');
  if (!attach && command.length === 0) throw badRequest('you must specify at least 1 command');
  if (!streams.stdin && !streams.stdout && !flag(q, 'stderr')) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return { container: q.get('container') || undefined, command, streams };
}

/** Errors of the runtime side are upstream's 500s naming the cause; our own Status errors pass through. */
export function backendError(e: unknown, doing: string) {
  if (isStatusError(e)) return e;
  if (e instanceof UpgradeRefused) return internalError(`${doing}: ${e.body.trim() || `status ${e.statusCode}`}`);
  return internalError(`${doing}: ${(e as Error).message}`);
}

/** Serves one upgraded session: a WebSocket client gets the channel protocol, a SPDY client the runtime's own connection. */
async function serveSession(req: IncomingMessage, res: ServerResponse, url: string, streams: StreamOptions, obj: string, doing: string): Promise<void> {
  if (upgradeKind(req) === 'spdy') {
    const conn = await dialUpgrade(url, req.method ?? 'POST', upgradeHeaders(req)).catch((e) => Promise.reject(backendError(e, doing)));
    return spliceSpdy(takeSocket(res), conn);
  }
  const protocol = negotiateSubprotocol(req, REMOTECOMMAND_PROTOCOLS)!;
  const headers = ['Connection', 'Upgrade', 'Upgrade', 'SPDY/3.1', 'X-Stream-Protocol-Version', SPDY_REMOTECOMMAND_PROTOCOL];
  const conn = await dialUpgrade(url, 'POST', headers).catch((e) => Promise.reject(backendError(e, doing)));
  const ws = await acceptWebSocket(req, res, protocol);
  await relayRemoteCommand(ws, protocol, conn, streams, obj);
}

/** The pods/exec (attach=false) or pods/attach handler. */
export function podRemoteCommandHandler(registry: NodeStreamingRegistry, attach: boolean): SubresourceHandler {
  const sub = attach ? 'attach' : 'exec';
  return {
    async connect(req, res, target, ctx) {
      if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed(`${req.method} is not supported on pods/${sub}`);
      const kind = upgradeKind(req);
      if (!kind) throw badRequest('Upgrade request required');
      if (kind === 'websocket' && !negotiateSubprotocol(req, REMOTECOMMAND_PROTOCOLS)) {
        throw badRequest(`unable to upgrade: no supported WebSocket subprotocol, expected one of ${REMOTECOMMAND_PROTOCOLS.join(', ')}`);
      }
      const o = remoteCommandOptions(new URL(req.url ?? '/', 'https://localhost').searchParams, attach);
      const pod = await readPod(ctx, target);
      const container = resolveContainer(pod, o.container);
      const kubelet = kubeletOf(registry, pod, attach ? 'cannot attach' : 'cannot exec');
      const doing = attach ? 'error attaching to container' : 'error executing command in container';
      const url = await (attach ? kubelet.attach(pod, container, o.streams) : kubelet.exec(pod, container, o.command, o.streams)).catch((e) =>
        Promise.reject(backendError(e, doing)),
      );
      await serveSession(req, res, url, o.streams, `${target.namespace}/${target.name}`, doing);
    },
  };
}
