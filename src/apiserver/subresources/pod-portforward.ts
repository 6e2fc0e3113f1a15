// pods/portforward: SPDY/3.1 (portforward.k8s.io) relayed to the runtime, directly or tunnelled in WebSocket messages.
import { badRequest, methodNotAllowed } from '../../machinery/errors';
import type { NodeStreamingRegistry } from '../../kubelet/streaming';
import type { SubresourceHandler } from '../handlers/context';
import { dialUpgrade } from '../websocket/dial';
import { spliceSpdy, tunnelWebSocket, upgradeHeaders } from '../websocket/splice';
import { acceptWebSocket, negotiateSubprotocol, takeSocket, upgradeKind } from '../websocket/upgrade';
import { backendError } from './pod-exec';
import { kubeletOf, readPod } from './pod-kubelet';

/** The SPDY protocol the runtime speaks for port forwarding. */
const PORTFORWARD_PROTOCOL = 'portforward.k8s.io';
/** kubectl 1.32 offers this WebSocket subprotocol: SPDY frames in binary messages. */
export const PORTFORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/** PodPortForwardOptions.ports from the query (optional: kubectl names ports per stream instead). */
export function portForwardPorts(q: URLSearchParams): number[] {
  const ports: number[] = [];
  for (const v of q.getAll('ports').flatMap((s) => s.split(','))) {
    if (!v.trim()) continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw badRequest(`port "${v}" must be an integer between 1 and 65535`);
    ports.push(n);
  }
  return ports;
}

/** The pods/portforward handler. */
export function podPortForwardHandler(registry: NodeStreamingRegistry): SubresourceHandler {
  return {
    async connect(req, res, target, ctx) {
      if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed(`${req.method} is not supported on pods/portforward`);
      const kind = upgradeKind(req);
      if (!kind) throw badRequest('Upgrade request required');
      const protocol = kind === 'websocket' ? negotiateSubprotocol(req, [PORTFORWARD_TUNNEL_PROTOCOL]) : undefined;
      if (kind === 'websocket' && !protocol) throw badRequest(`unable to upgrade: expected WebSocket subprotocol ${PORTFORWARD_TUNNEL_PROTOCOL}`);
      const ports = portForwardPorts(new URL(req.url ?? '/', 'https://localhost').searchParams);
      const pod = await readPod(ctx, target);
      const kubelet = kubeletOf(registry, pod, 'cannot forward ports');
      const doing = 'error forwarding port';
      const url = await kubelet.portForward(pod, ports).catch((e) => Promise.reject(backendError(e, doing)));
      if (kind === 'spdy') {
        const conn = await dialUpgrade(url, req.method ?? 'POST', upgradeHeaders(req)).catch((e) => Promise.reject(backendError(e, doing)));
        return spliceSpdy(takeSocket(res), conn);
      }
      const headers = ['Connection', 'Upgrade', 'Upgrade', 'SPDY/3.1', 'X-Stream-Protocol-Version', PORTFORWARD_PROTOCOL];
      const conn = await dialUpgrade(url, 'POST', headers).catch((e) => Promise.reject(backendError(e, doing)));
      tunnelWebSocket(await acceptWebSocket(req, res, protocol!), conn);
    },
  };
}
