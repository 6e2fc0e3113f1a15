// A CRI v1 client (runtime and image services) over a unix socket; the protobuf codecs are loaded on first use so sim-only clusters never pay for them.
import { existsSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join, resolve } from 'node:path';
import { GRPC_CODE_NAMES, GrpcCode, GrpcStatusError, UnaryChannel, type UnaryMethod } from './grpc-unary';
import type * as T from './types';

type Req<X> = T.CriRequest<X>;

/** gRPC status codes the callers branch on. */
export const CriCode = GrpcCode;

/** A failed CRI call: `code` is the gRPC status, `details` the runtime's own text, `rpc` the method. */
export class CriError extends Error {
  constructor(
    readonly rpc: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`rpc error: code = ${GRPC_CODE_NAMES[code] ?? code} desc = ${details}`);
    this.name = 'CriError';
  }
}

/** True when `e` is a CRI NotFound error (the sandbox, container or image is gone). */
export function isCriNotFound(e: unknown): boolean {
  return e instanceof CriError && e.code === CriCode.NotFound;
}

/** Default per-call deadline, as the kubelet's --runtime-request-timeout. */
const DEFAULT_TIMEOUT_MS = 2 * 60_000;

/** Where api.proto is: copied beside the compiled file, or in the source tree next to dist/. */
export function criProtoPath(): string {
  const candidates = [join(__dirname, 'api.proto'), resolve(__dirname, '..', '..', '..', 'src', 'cri', 'api.proto')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`CRI api.proto not found (looked in ${candidates.join(', ')})`);
  return found;
}

type Service = Record<string, UnaryMethod>;
interface Loaded {
  Runtime: Service;
  Image: Service;
}
let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  // Lazy: protobufjs and the CRI schema cost ~100 ms to load, and only real nodes need them.
  const protoLoader = require('@grpc/proto-loader') as typeof import('@grpc/proto-loader');
  const def = protoLoader.loadSync(criProtoPath(), { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true });
  loaded = { Runtime: def['runtime.v1.RuntimeService'] as unknown as Service, Image: def['runtime.v1.ImageService'] as unknown as Service };
  return loaded;
}

/** The socket path of an endpoint: a path, `unix://` URL or `unix:` URL. */
export function socketPath(endpoint: string): string {
  return resolve(endpoint.replace(/^unix:(\/\/)?/, ''));
}

/** One connection to a CRI runtime; methods are the CRI RPCs in lowerCamelCase, taking and returning the message objects. */
export class CriClient {
  private constructor(
    private readonly channel: UnaryChannel,
    private readonly runtime: Service,
    private readonly image: Service,
    private readonly timeoutMs: number,
  ) {}

  /** Connects (lazily, on the first call, and again after the runtime restarts) to the runtime at `endpoint`: a socket path or unix:// URL. */
  static connect(endpoint: string, opts: { timeoutMs?: number } = {}): CriClient {
    const { Runtime, Image } = load();
    const path = socketPath(endpoint);
    return new CriClient(new UnaryChannel(() => netConnect(path)), Runtime, Image, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  private async call<R>(service: Service, rpc: string, req: unknown, timeoutMs = this.timeoutMs): Promise<R> {
    try {
      return (await this.channel.call(service[rpc], req, timeoutMs)) as R;
    } catch (e) {
      if (e instanceof GrpcStatusError) throw new CriError(rpc, e.code, e.details);
      throw e;
    }
  }

  // ---- runtime service

  /** Runtime name and versions. */
  version(req: Req<T.VersionRequest> = { version: 'v1' }): Promise<T.VersionResponse> {
    return this.call(this.runtime, 'Version', req);
  }

  /** RuntimeReady / NetworkReady conditions. */
  status(req: Req<T.StatusRequest> = {}): Promise<T.StatusResponse> {
    return this.call(this.runtime, 'Status', req);
  }

  /** Passes the node's pod CIDR to the runtime. */
  updateRuntimeConfig(req: Req<T.UpdateRuntimeConfigRequest>): Promise<object> {
    return this.call(this.runtime, 'UpdateRuntimeConfig', req);
  }

  /** Creates and starts a pod sandbox (pause container + network). */
  runPodSandbox(req: Req<T.RunPodSandboxRequest>): Promise<T.RunPodSandboxResponse> {
    return this.call(this.runtime, 'RunPodSandbox', req);
  }

  /** Stops the sandbox's containers and tears down its network; idempotent. */
  stopPodSandbox(req: Req<T.PodSandboxIdRequest>): Promise<object> {
    return this.call(this.runtime, 'StopPodSandbox', req);
  }

  /** Removes a stopped sandbox and its containers; idempotent. */
  removePodSandbox(req: Req<T.PodSandboxIdRequest>): Promise<object> {
    return this.call(this.runtime, 'RemovePodSandbox', req);
  }

  /** State and IP of one sandbox. */
  podSandboxStatus(req: Req<T.PodSandboxStatusRequest>): Promise<T.PodSandboxStatusResponse> {
    return this.call(this.runtime, 'PodSandboxStatus', req);
  }

  /** Sandboxes, optionally filtered by id, state or labels. */
  listPodSandbox(req: Req<T.ListPodSandboxRequest> = {}): Promise<T.ListPodSandboxResponse> {
    return this.call(this.runtime, 'ListPodSandbox', req);
  }

  /** Creates a container in a sandbox (not started). */
  createContainer(req: Req<T.CreateContainerRequest>): Promise<T.CreateContainerResponse> {
    return this.call(this.runtime, 'CreateContainer', req);
  }

  /** Starts a created container. */
  startContainer(req: Req<T.ContainerIdRequest>): Promise<object> {
    return this.call(this.runtime, 'StartContainer', req);
  }

  /** Sends the stop signal, then SIGKILL after `timeout` seconds. */
  stopContainer(req: Req<T.StopContainerRequest>): Promise<object> {
    return this.call(this.runtime, 'StopContainer', req, this.timeoutMs + (req.timeout ?? 0) * 1000);
  }

  /** Removes a container (killing it if running). */
  removeContainer(req: Req<T.ContainerIdRequest>): Promise<object> {
    return this.call(this.runtime, 'RemoveContainer', req);
  }

  /** Containers, optionally filtered by id, sandbox, state or labels. */
  listContainers(req: Req<T.ListContainersRequest> = {}): Promise<T.ListContainersResponse> {
    return this.call(this.runtime, 'ListContainers', req);
  }

  /** State, exit code, reason and times of one container. */
  containerStatus(req: Req<T.ContainerStatusRequest>): Promise<T.ContainerStatusResponse> {
    return this.call(this.runtime, 'ContainerStatus', req);
  }

  /** Changes a running container's cgroup limits. */
  updateContainerResources(req: Req<T.UpdateContainerResourcesRequest>): Promise<object> {
    return this.call(this.runtime, 'UpdateContainerResources', req);
  }

  /** Makes the runtime reopen the container's log file (after rotation). */
  reopenContainerLog(req: Req<T.ContainerIdRequest>): Promise<object> {
    return this.call(this.runtime, 'ReopenContainerLog', req);
  }

  /** Runs a command in the container and returns its output and exit code. */
  execSync(req: Req<T.ExecSyncRequest>): Promise<T.ExecSyncResponse> {
    return this.call(this.runtime, 'ExecSync', req, this.timeoutMs + (req.timeout ?? 0) * 1000);
  }

  /** A streaming URL for an interactive exec. */
  exec(req: Req<T.ExecRequest>): Promise<T.StreamingUrlResponse> {
    return this.call(this.runtime, 'Exec', req);
  }

  /** A streaming URL for attaching to the container's main process. */
  attach(req: Req<T.AttachRequest>): Promise<T.StreamingUrlResponse> {
    return this.call(this.runtime, 'Attach', req);
  }

  /** A streaming URL for forwarding to ports in the sandbox's network namespace. */
  portForward(req: Req<T.PortForwardRequest>): Promise<T.StreamingUrlResponse> {
    return this.call(this.runtime, 'PortForward', req);
  }

  /** CPU, memory and writable-layer usage of one container. */
  containerStats(req: Req<T.ContainerIdRequest>): Promise<T.ContainerStatsResponse> {
    return this.call(this.runtime, 'ContainerStats', req);
  }

  /** Usage of all (or the filtered) containers. */
  listContainerStats(req: Req<T.ListContainerStatsRequest> = {}): Promise<T.ListContainerStatsResponse> {
    return this.call(this.runtime, 'ListContainerStats', req);
  }

  // ---- image service

  /** Images in the runtime's store. */
  listImages(req: Req<T.ListImagesRequest> = {}): Promise<T.ListImagesResponse> {
    return this.call(this.image, 'ListImages', req);
  }

  /** One image, or `{ image: null }` when absent. */
  imageStatus(req: Req<T.ImageStatusRequest>): Promise<T.ImageStatusResponse> {
    return this.call(this.image, 'ImageStatus', req);
  }

  /** Pulls an image from its registry; no deadline, as a large pull may take long. */
  pullImage(req: Req<T.PullImageRequest>): Promise<T.PullImageResponse> {
    return this.call(this.image, 'PullImage', req, Infinity);
  }

  /** Removes an image; idempotent. */
  removeImage(req: Req<T.RemoveImageRequest>): Promise<object> {
    return this.call(this.image, 'RemoveImage', req);
  }

  /** Usage of the filesystem holding images. */
  imageFsInfo(): Promise<T.ImageFsInfoResponse> {
    return this.call(this.image, 'ImageFsInfo', {});
  }

  /** Closes the connection; pending calls fail. */
  close(): void {
    this.channel.close();
  }
}
