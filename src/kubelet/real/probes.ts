// Container probes as upstream's prober: the checks (exec, httpGet, tcpSocket, grpc) and the pure per-probe state machine (delays, period, thresholds).
import { connect } from 'node:net';
import { GRPC_CODE_NAMES, GrpcCode, GrpcStatusError, UnaryChannel, type UnaryMethod } from '../../cri/grpc-unary';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Container, Probe } from 'kubernetes-types/core/v1';
import { expand, mappingFuncFor } from './env';

/** The kind of a probe. */
export type ProbeKind = 'liveness' | 'readiness' | 'startup';
const TITLE: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

/** What a probe runs against: the container instance, its pod IP, and CRI ExecSync for exec probes. */
export interface ProbeTarget {
  container: Container;
  containerId: string;
  podIP: string;
  cri: { execSync(req: { containerId: string; cmd: string[]; timeout: number }): Promise<{ stdout: Buffer; stderr: Buffer; exitCode: number }> };
}

/**
 * The outcome of one probe. `warning` is a success upstream reports with a ProbeWarning event (a redirect to another host);
 * `error` means the probe could not run (bad port, exec failure): upstream records "… probe errored" and keeps the previous result.
 */
export interface ProbeOutcome {
  result: 'success' | 'failure';
  output: string;
  warning?: boolean;
  error?: boolean;
}

const USER_AGENT = 'kube-probe/1.32';
const MAX_BODY = 10 * 1024;
const ok = (output = ''): ProbeOutcome => ({ result: 'success', output });
const fail = (output: string): ProbeOutcome => ({ result: 'failure', output });
const errored = (output: string): ProbeOutcome => ({ result: 'failure', output, error: true });
// Go prints durations like 1s, 1m30s; probe timeouts are whole seconds.
const goDuration = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : '0s'}` : `${s}s`);

/** A probe port by number or by the name of one of the container's ports (upstream ResolveContainerPort). */
export function resolveProbePort(port: number | string | undefined, container: Container): number {
  let n: number;
  if (typeof port === 'number') n = port;
  else if (port !== undefined && /^\d+$/.test(port)) n = Number(port);
  else {
    const found = container.ports?.find((p) => p.name === port);
    if (!found) throw new Error(`port ${port} not found`);
    n = found.containerPort;
  }
  if (!(n > 0 && n < 65536)) throw new Error(`invalid port number: ${n}`);
  return n;
}

const joinHostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

// Go's net error texts for the failures a probe meets, so events read as upstream's.
function dialError(e: NodeJS.ErrnoException, addr: string): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp ${addr}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp ${addr}: connect: network is unreachable`;
    case 'ECONNRESET':
      return `read tcp ${addr}: read: connection reset by peer`;
    default:
      return e.message;
  }
}

/** Exec probe: runs the command (with $(VAR) from the container's literal env) through CRI ExecSync; exit 0 is success. */
async function execProbe(probe: Probe, t: ProbeTarget, timeoutS: number): Promise<ProbeOutcome> {
  const mapping = mappingFuncFor(new Map((t.container.env ?? []).map((e) => [e.name, e.value ?? ''])));
  const cmd = (probe.exec!.command ?? []).map((s) => expand(s, mapping));
  try {
    const r = await t.cri.execSync({ containerId: t.containerId, cmd, timeout: timeoutS });
    const output = Buffer.concat([r.stdout ?? Buffer.alloc(0), r.stderr ?? Buffer.alloc(0)]).toString();
    return r.exitCode === 0 ? ok(output) : fail(output);
  } catch (e) {
    // The runtime's DeadlineExceeded is a timed-out command: a failure, as upstream's ExecProbeTimeout.
    if ((e as { code?: unknown }).code === 4) return fail(`command ${JSON.stringify(cmd.join(' '))} timed out`);
    return errored((e as Error).message);
  }
}

/** HTTP GET probe: 200–399 succeeds; redirects are followed on the same host, one to another host is a warning (upstream DoHTTPProbe). */
async function httpProbe(probe: Probe, t: ProbeTarget, timeoutS: number): Promise<ProbeOutcome> {
  const g = probe.httpGet!;
  let port: number;
  try {
    port = resolveProbePort(g.port as number | string, t.container);
  } catch (e) {
    return errored((e as Error).message);
  }
  const scheme = (g.scheme ?? 'HTTP').toLowerCase();
  const host = g.host || t.podIP;
  const path = g.path ? (g.path.startsWith('/') ? g.path : `/${g.path}`) : '/';
  const headers: Record<string, string> = {};
  for (const h of g.httpHeaders ?? []) headers[h.name] = h.value;
  const has = (n: string) => Object.keys(headers).find((k) => k.toLowerCase() === n.toLowerCase());
  if (!has('User-Agent')) headers['User-Agent'] = USER_AGENT;
  const accept = has('Accept');
  if (!accept) headers.Accept = '*/*';
  else if (headers[accept] === '') delete headers[accept];
  const first = new URL(`${scheme}://${joinHostPort(host, port)}${path}`);
  const deadline = Date.now() + timeoutS * 1000;
  let url = first;
  for (let hops = 0; ; hops++) {
    const res = await get(url, headers, deadline).catch((e: Error) => e);
    if (res instanceof Error) return fail(`Get ${JSON.stringify(url.href)}: ${res.message}`);
    const code = res.status;
    if (code >= 300 && code < 400 && res.location) {
      const next = new URL(res.location, url);
      if (next.hostname !== first.hostname) return { result: 'success', output: `Probe terminated redirects, Response body: ${res.body}`, warning: true };
      if (hops + 1 >= 10) return fail(`Get ${JSON.stringify(next.href)}: stopped after 10 redirects`);
      url = next;
      continue;
    }
    if (code >= 200 && code < 400) return ok(res.body);
    // Upstream keeps the body out of the failure message (issue 99425).
    return fail(`HTTP probe failed with statuscode: ${code}`);
  }
}

function get(url: URL, headers: Record<string, string>, deadline: number): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const addr = joinHostPort(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || (url.protocol === 'https:' ? 443 : 80)));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { headers, agent: false, rejectUnauthorized: false, timeout: Math.max(1, deadline - Date.now()) }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c.subarray(0, MAX_BODY - size));
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new Error(dialError(e, addr))));
    req.end();
  });
}

/** TCP probe: a connection that opens within the timeout is success (upstream DoTCPProbe). */
function tcpProbe(probe: Probe, t: ProbeTarget, timeoutS: number): Promise<ProbeOutcome> {
  let port: number;
  try {
    port = resolveProbePort(probe.tcpSocket!.port as number | string, t.container);
  } catch (e) {
    return Promise.resolve(errored((e as Error).message));
  }
  const host = probe.tcpSocket!.host || t.podIP;
  const addr = joinHostPort(host, port);
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: timeoutS * 1000 });
    s.on('connect', () => {
      s.destroy();
      resolve(ok());
    });
    s.on('timeout', () => {
      s.destroy();
      resolve(fail(`dial tcp ${addr}: i/o timeout`));
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(fail(dialError(e, addr))));
  });
}

// grpc.health.v1 messages by hand: HealthCheckRequest{string service = 1}, HealthCheckResponse{ServingStatus status = 1}.
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** Encodes a grpc.health.v1.HealthCheckRequest. */
export function encodeHealthCheckRequest(service: string): Buffer {
  const s = Buffer.from(service);
  return s.length ? Buffer.concat([Buffer.from([0x0a, ...varint(s.length)]), s]) : Buffer.alloc(0);
}

/** Decodes a grpc.health.v1.HealthCheckResponse to its status name (unknown fields skipped). */
export function decodeHealthCheckResponse(b: Buffer): string {
  let i = 0;
  let status = 0;
  const readVarint = () => {
    let v = 0;
    let shift = 0;
    while (i < b.length) {
      const byte = b[i++];
      v += (byte & 127) * 2 ** shift;
      if (byte < 128) break;
      shift += 7;
    }
    return v;
  };
  while (i < b.length) {
    const tag = readVarint();
    const wire = tag & 7;
    if (wire === 0) {
      const v = readVarint();
      if (tag >>> 3 === 1) status = v;
    } else if (wire === 2) {
      const len = readVarint();
      i += len;
    }
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else break;
  }
  return SERVING_STATUS[status] ?? String(status);
}

const HEALTH_CHECK: UnaryMethod = {
  path: '/grpc.health.v1.Health/Check',
  requestSerialize: (service) => encodeHealthCheckRequest(String(service)),
  responseDeserialize: (bytes) => bytes,
};

/** gRPC probe: grpc.health.v1.Health/Check on the pod IP; SERVING is success (upstream grpc prober). */
async function grpcProbe(probe: Probe, t: ProbeTarget, timeoutS: number): Promise<ProbeOutcome> {
  const port = probe.grpc!.port;
  const addr = joinHostPort(t.podIP, port);
  const channel = new UnaryChannel(() => connect({ host: t.podIP, port }), addr, { 'user-agent': USER_AGENT });
  try {
    const res = (await channel.call(HEALTH_CHECK, probe.grpc!.service ?? '', timeoutS * 1000)) as Buffer;
    const status = decodeHealthCheckResponse(res);
    return status === 'SERVING' ? ok('service is serving') : fail(`service unhealthy (responded with ${JSON.stringify(status)})`);
  } catch (e) {
    if (!(e instanceof GrpcStatusError)) throw e;
    // Upstream dials with a blocking connect bounded by the timeout: no connection reads as that timeout.
    if (e.unconnected) return fail(`timeout: failed to connect service ${JSON.stringify(addr)} within ${goDuration(timeoutS)}: context deadline exceeded`);
    if (e.code === GrpcCode.Unimplemented) return fail(`error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${e.details}`);
    if (e.code === GrpcCode.DeadlineExceeded) return fail(`timeout: health rpc did not complete within ${goDuration(timeoutS)}`);
    return fail(`error: health rpc probe failed: rpc error: code = ${GRPC_CODE_NAMES[e.code] ?? e.code} desc = ${e.details}`);
  } finally {
    channel.close();
  }
}

/** Runs one probe with its timeout. */
export async function runProbe(probe: Probe, t: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutS = probe.timeoutSeconds || 1;
  if (probe.exec) return execProbe(probe, t, timeoutS);
  if (probe.httpGet) return httpProbe(probe, t, timeoutS);
  if (probe.tcpSocket) return tcpProbe(probe, t, timeoutS);
  if (probe.grpc) return grpcProbe(probe, t, timeoutS);
  return errored('missing probe handler');
}

/** The event upstream records for a probe outcome, if any: Unhealthy for failures and errors, ProbeWarning for warnings. */
export function probeEvent(kind: ProbeKind, out: ProbeOutcome): { type: 'Warning'; reason: 'Unhealthy' | 'ProbeWarning'; message: string } | undefined {
  if (out.error) return { type: 'Warning', reason: 'Unhealthy', message: `${TITLE[kind]} probe errored: ${out.output}` };
  if (out.result === 'failure') return { type: 'Warning', reason: 'Unhealthy', message: `${TITLE[kind]} probe failed: ${out.output}` };
  if (out.warning) return { type: 'Warning', reason: 'ProbeWarning', message: `${TITLE[kind]} probe warning: ${out.output}` };
  return undefined;
}

/** The Killing event message when a liveness or startup probe failure restarts a container (upstream computePodActions). */
export function probeKillMessage(kind: 'liveness' | 'startup', containerName: string): string {
  return `Container ${containerName} failed ${kind} probe, will be restarted`;
}

/**
 * One probe of one container instance, as upstream's prober worker decides, with time passed in:
 * readiness starts at failure, liveness and startup at success; the result flips only after successThreshold/failureThreshold
 * results in a row; nothing is probed before initialDelaySeconds; liveness and readiness wait for the container to have started,
 * startup stops once it has; after a liveness/startup failure the probe holds until a new container instance.
 */
export class ProbeState {
  /** The current (thresholded) result. */
  result: 'success' | 'failure';
  private lastResult?: 'success' | 'failure';
  private resultRun = 0;
  private lastProbeAt = -Infinity;
  private onHold = false;

  /** @param startedAt when the container instance started (ms). */
  constructor(
    readonly kind: ProbeKind,
    private readonly probe: Probe,
    private readonly startedAt: number,
  ) {
    this.result = kind === 'readiness' ? 'failure' : 'success';
  }

  private get periodMs() {
    return (this.probe.periodSeconds || 10) * 1000;
  }

  /** When the next probe is due (ms), or undefined when this probe is done or on hold; `started`: the container passed its startup probe. */
  nextProbeAt(started: boolean): number | undefined {
    if (this.onHold) return undefined;
    if (this.kind === 'startup' ? started : !started) return undefined;
    return Math.max(this.startedAt + (this.probe.initialDelaySeconds ?? 0) * 1000, this.lastProbeAt + this.periodMs);
  }

  /** Whether to probe now. */
  due(now: number, started: boolean): boolean {
    const at = this.nextProbeAt(started);
    return at !== undefined && now >= at;
  }

  /** Records a probe run at `now`; returns true when the thresholded result changed. Errored outcomes count as a run but not a result. */
  record(now: number, out: ProbeOutcome): boolean {
    this.lastProbeAt = now;
    if (out.error) return false;
    const r = out.result;
    if (this.lastResult === r) this.resultRun++;
    else {
      this.lastResult = r;
      this.resultRun = 1;
    }
    const threshold = r === 'failure' ? (this.probe.failureThreshold || 3) : (this.probe.successThreshold || 1);
    if (this.resultRun < threshold) return false;
    const changed = this.result !== r;
    this.result = r;
    if (r === 'failure' && this.kind !== 'readiness') {
      // The container will be restarted: stop probing this instance.
      this.onHold = true;
      this.resultRun = 0;
    }
    return changed;
  }
}
