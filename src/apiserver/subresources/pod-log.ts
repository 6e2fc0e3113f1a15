// pods/log: streams a container's CRI log file through the API server, as the kubelet's /containerLogs does.
import { watch, type FSWatcher } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { Pod } from 'kubernetes-types/core/v1';
import { badRequest, methodNotAllowed } from '../../machinery/errors';
import type { NodeStreamingRegistry } from '../../kubelet/streaming';
import type { HandlerContext, SubresourceHandler, SubresourceTarget } from '../handlers/context';
import { objectKey, resourcePrefix } from '../resource-table';
import { kubeletOf, readPod, resolveContainer } from './pod-kubelet';
import { containerLogStatusError, LogWriter, parseCriLogLine, podLogOptions, sinceMillis, tailStart } from './pod-log-format';

const CHUNK = 64 * 1024;
/** How often a follower re-reads without a change event, and checks whether the container still runs (kubelet: a few s). */
const FOLLOW_POLL_MS = 1000;

/** The container ID of the instance whose log is read: the running one, or the last terminated one. */
function instanceId(pod: Pod, container: string, previous: boolean): string | undefined {
  const st = pod.status;
  const cs = [...(st?.containerStatuses ?? []), ...(st?.initContainerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])].find((s) => s.name === container);
  if (previous) return cs?.lastState?.terminated?.containerID;
  return cs?.state?.running ? cs.containerID : undefined;
}

/** Whether the container instance `id` is still running, from the watch cache (the kubelet asks its runtime). */
function stillRunning(ctx: HandlerContext, target: SubresourceTarget, container: string, id: string | undefined): boolean {
  if (!id) return false;
  const pod = ctx.cache.cacheFor(resourcePrefix(target.resource)).objects.get(objectKey(target.resource, target.namespace, target.name))?.obj as Pod | undefined;
  return !!pod && instanceId(pod, container, false) === id;
}

/** Where in the file the last `n` lines start, reading backwards a chunk at a time. */
async function findTailStart(fh: FileHandle, n: number): Promise<number> {
  const size = (await fh.stat()).size;
  let buf = Buffer.alloc(0);
  let from = size;
  while (from > 0) {
    const len = Math.min(CHUNK, from);
    from -= len;
    const chunk = Buffer.alloc(len);
    await fh.read(chunk, 0, len, from);
    buf = Buffer.concat([chunk, buf]);
    const at = tailStart(buf, n);
    if (at !== undefined) return from + at;
  }
  return 0;
}

/** Writes to the response, waiting for it to drain; false once the client has gone. */
function send(res: ServerResponse, data: Buffer): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (!data.length || res.write(data)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** Resolves on the next change to the file, after the poll period, or when the client goes away. */
class ChangeWaiter {
  private watcher?: FSWatcher;
  private wake?: () => void;

  constructor(file: string, res: ServerResponse) {
    try {
      this.watcher = watch(file, () => this.wake?.());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No inotify (limits, odd filesystems): polling alone still follows the file.
    }
    res.on('close', () => this.wake?.());
  }

  wait(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), FOLLOW_POLL_MS);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  close(): void {
    this.watcher?.close();
    this.wake?.();
  }
}

/** Streams the log file: from the tail start, through the filters, following growth while `running()` says so. */
async function streamLogFile(fh: FileHandle, file: string, res: ServerResponse, writer: LogWriter, o: { tailLines?: number; follow: boolean }, running: () => boolean): Promise<void> {
  const waiter = o.follow ? new ChangeWaiter(file, res) : undefined;
  try {
    let pos = o.tailLines !== undefined ? await findTailStart(fh, o.tailLines) : 0;
    let pending = Buffer.alloc(0);
    let lastPass = false;
    const chunk = Buffer.alloc(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, CHUNK, pos);
      if (bytesRead > 0) {
        pos += bytesRead;
        pending = Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
        let nl: number;
        while ((nl = pending.indexOf(0x0a)) >= 0) {
          const line = parseCriLogLine(pending.subarray(0, nl).toString('utf8'));
          pending = pending.subarray(nl + 1);
          if (line && !(await send(res, writer.write(line)))) return;
          if (writer.full) return;
        }
        continue;
      }
      // End of file. A line the runtime has not finished writing is shown only when not following.
      if (!o.follow || lastPass || res.destroyed) {
        const line = !o.follow && pending.length ? parseCriLogLine(pending.toString('utf8')) : undefined;
        if (line) await send(res, writer.write(line));
        return;
      }
      // Drain whatever the instance wrote before it ended, then stop, as the kubelet does.
      if (!running()) lastPass = true;
      else await waiter!.wait();
    }
  } finally {
    waiter?.close();
    await fh.close();
  }
}

/** The pods/log handler: GET with PodLogOptions in the query. */
export function podLogHandler(registry: NodeStreamingRegistry): SubresourceHandler {
  return {
    async connect(req, res, target, ctx) {
      if (req.method !== 'GET') throw methodNotAllowed(`${req.method} is not supported on pods/log`);
      const q = new URL(req.url ?? '/', 'https://localhost').searchParams;
      const o = podLogOptions(q, target.name);
      const pod = await readPod(ctx, target);
      const container = resolveContainer(pod, o.container);
      // upstream: an unscheduled pod has no log location and answers with an empty log.
      if (!pod.spec?.nodeName) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end();
        return;
      }
      const kubelet = kubeletOf(registry, pod, 'it has no logs');
      const why = containerLogStatusError(pod, container, o.previous);
      if (why) throw badRequest(why);
      const file = await kubelet.logPath(pod, container, o.previous);
      if (!file) {
        throw badRequest(
          o.previous
            ? `previous terminated container "${container}" in pod "${target.name}" not found`
            : `container "${container}" in pod "${target.name}" is waiting to start - no logs yet`,
        );
      }
      const fh = await open(file, 'r').catch(() => {
        throw badRequest(`container "${container}" in pod "${target.name}" is not available`);
      });
      const id = instanceId(pod, container, o.previous);
      const writer = new LogWriter({ since: sinceMillis(o, ctx.clock.now()), timestamps: o.timestamps, limitBytes: o.limitBytes });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      // A follower flushes each line as it comes: no buffering of the response head either.
      res.flushHeaders();
      await streamLogFile(fh, file, res, writer, { tailLines: o.tailLines, follow: o.follow && !o.previous }, () => stillRunning(ctx, target, container, id));
      res.end();
    },
  };
}
