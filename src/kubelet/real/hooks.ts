// Lifecycle hooks (postStart, preStop): exec in the container or HTTP GET to it, as upstream's lifecycle handler runner.
import { request } from 'node:http';
import type { Container, LifecycleHandler, Pod } from 'kubernetes-types/core/v1';
import type { CriRuntime } from './runtime';

/** Where a hook runs. */
export interface HookTarget {
  pod: Pod;
  container: Container;
  containerId: string;
  podIP: string;
}

// A named port of the container, or the number itself.
function resolvePort(port: number | string, container: Container): number {
  if (typeof port === 'number') return port;
  const n = Number(port);
  if (Number.isInteger(n)) return n;
  const found = container.ports?.find((p) => p.name === port)?.containerPort;
  if (found === undefined) throw new Error(`couldn't find port: ${port} in ${container.name}`);
  return found;
}

function httpGet(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`Get "${url}": context deadline exceeded`)));
    req.on('error', reject);
    req.end();
  });
}

/** Runs a hook; resolves to an error message (as upstream's FailedPostStartHook/FailedPreStopHook events show) or undefined. */
export async function runHook(cri: CriRuntime, handler: LifecycleHandler, target: HookTarget, timeoutSeconds: number): Promise<string | undefined> {
  try {
    if (handler.exec) {
      const res = await cri.execSync({ containerId: target.containerId, cmd: handler.exec.command ?? [], timeout: Math.max(1, Math.ceil(timeoutSeconds)) });
      if (res.exitCode !== 0) {
        const out = Buffer.concat([res.stdout ?? Buffer.alloc(0), res.stderr ?? Buffer.alloc(0)]).toString();
        return `command '${(handler.exec.command ?? []).join(' ')}' exited with ${res.exitCode}: ${out}`;
      }
      return undefined;
    }
    if (handler.httpGet) {
      const g = handler.httpGet;
      const host = g.host || target.podIP;
      const port = resolvePort(g.port as number | string, target.container);
      const path = g.path ? (g.path.startsWith('/') ? g.path : `/${g.path}`) : '/';
      const url = new URL(`${(g.scheme ?? 'HTTP').toLowerCase()}://${host}:${port}${path}`);
      const headers: Record<string, string> = {};
      for (const h of g.httpHeaders ?? []) headers[h.name] = h.value;
      const code = await httpGet(url, headers, timeoutSeconds * 1000);
      if (code < 200 || code >= 400) return `HTTP lifecycle hook (${path}) for Container "${target.container.name}" in Pod "${target.pod.metadata?.name}" failed - error: received status code ${code}`;
      return undefined;
    }
    if (handler.sleep) {
      await new Promise((r) => setTimeout(r, Math.min(handler.sleep!.seconds, timeoutSeconds) * 1000));
      return undefined;
    }
    return 'a lifecycle handler needs exec, httpGet or sleep';
  } catch (e) {
    return (e as Error).message;
  }
}
