// The CRI ContainerConfig of one container instance (upstream kuberuntime generateContainerConfig), from the pod and its parts.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { ContainerConfig, CriRequest, KeyValue, Mount } from '../../cri/types';
import { expandContainerCommandAndArgs } from './env';
import { containerResources, type CgroupHost } from './resources';
import { asRequest } from './runtime';
import {
  ANNOTATION_RESTART_COUNT,
  ANNOTATION_TERMINATION_GRACE,
  ANNOTATION_TERMINATION_MESSAGE_PATH,
  ANNOTATION_TERMINATION_MESSAGE_POLICY,
  LABEL_CONTAINER_NAME,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
} from './runtime-state';
import { containerLogPath } from './sandbox-config';
import { containerSecurityContext, type ImageUser } from './security';
import type { VolumeSetUpResult } from './volumes';

/** What the pod's parts give its containers (env.ts, volumes.ts); the kubelet wires the real ones, tests may pass fakes. */
export interface ContainerParts {
  /** The container's environment; throws upstream's message, shown as CreateContainerConfigError. */
  env(pod: Pod, container: Container, podIPs: string[]): Promise<KeyValue[]>;
  /** Sets up (idempotently, refreshing content) the pod's volumes under podDir; failing ones come back as errors. */
  volumes(pod: Pod, podDir: string): Promise<VolumeSetUpResult>;
  /** Tears down the volumes of a pod that is gone. */
  tearDown(uid: string, podDir: string): Promise<void>;
}

/** Inputs beside the pod and container. */
export interface ContainerConfigOptions {
  restartCount: number;
  imageRef: string;
  imageUser: ImageUser;
  envs: KeyValue[];
  mounts: Mount[];
  memoryCapacityBytes: number;
  cgroupHost: CgroupHost;
}

/** The config of a new instance of `container`. */
export function containerConfig(pod: Pod, container: Container, opts: ContainerConfigOptions): CriRequest<ContainerConfig> {
  const m = pod.metadata!;
  const { command, args } = expandContainerCommandAndArgs(container, opts.envs);
  return {
    metadata: { name: container.name, attempt: opts.restartCount },
    image: { image: opts.imageRef || container.image },
    command,
    args,
    workingDir: container.workingDir ?? '',
    envs: opts.envs,
    mounts: opts.mounts,
    labels: { [LABEL_CONTAINER_NAME]: container.name, [LABEL_POD_NAME]: m.name!, [LABEL_POD_NAMESPACE]: m.namespace!, [LABEL_POD_UID]: m.uid! },
    annotations: {
      [ANNOTATION_RESTART_COUNT]: String(opts.restartCount),
      [ANNOTATION_TERMINATION_GRACE]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
      [ANNOTATION_TERMINATION_MESSAGE_PATH]: container.terminationMessagePath ?? '/dev/termination-log',
      [ANNOTATION_TERMINATION_MESSAGE_POLICY]: container.terminationMessagePolicy ?? 'File',
    },
    logPath: containerLogPath(container.name, opts.restartCount),
    stdin: container.stdin === true,
    stdinOnce: container.stdinOnce === true,
    tty: container.tty === true,
    linux: {
      resources: asRequest(containerResources(pod, container, opts.memoryCapacityBytes, opts.cgroupHost)),
      securityContext: asRequest(containerSecurityContext(pod, container, opts.imageUser)),
    },
  };
}
