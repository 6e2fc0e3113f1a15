// Makes a container's image present per its imagePullPolicy (upstream images.imageManager): pull, back-off, events.
import type { Container, Pod, Secret } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { EventRecorder } from '../../client/events';
import type { CriRequest, PodSandboxConfig } from '../../cri/types';
import type { Clock } from '../../util/clock';
import { Backoff } from './backoff';
import { pullAuths } from './pull-secrets';
import type { CriRuntime } from './runtime';
import { imageUser, type ImageUser } from './security';
import type { WaitingReason } from './status';

/** The image is there (with its id), or the container waits with a reason (ErrImagePull, ImagePullBackOff, ErrImageNeverPull). */
export type EnsureImageResult = { imageRef: string; user: ImageUser } | { waiting: WaitingReason; retryAt?: number };

/** upstream's pull policy default: Always for :latest or untagged images, else IfNotPresent. */
export function pullPolicy(c: Container): string {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const image = c.image ?? '';
  const tagged = !image.includes('@') && image.lastIndexOf(':') > image.lastIndexOf('/');
  return !tagged || image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

/** How long ErrImagePull shows before the next sync reports ImagePullBackOff. */
const ERR_IMAGE_PULL_SHOWN_MS = 2000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;

/** Ensures images for pods, one pull back-off per image and pod. */
export class ImagePuller {
  private readonly backoff = new Backoff();
  private readonly lastError = new Map<string, string>();
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly cri: CriRuntime,
    private readonly clock: Clock,
    private readonly recorder: EventRecorder,
    private readonly secrets: (namespace: string, name: string) => Promise<Secret | undefined>,
  ) {}

  /** Makes `container`'s image present, recording upstream's events about `podRef`. */
  async ensure(pod: Pod, podRef: KObject, container: Container, sandboxConfig: CriRequest<PodSandboxConfig>): Promise<EnsureImageResult> {
    const image = container.image ?? '';
    const policy = pullPolicy(container);
    const present = (await this.cri.imageStatus({ image: { image } })).image;
    if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
      if (present) {
        this.recorder.event(podRef, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return { imageRef: present.id, user: imageUser(present) };
      }
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.recorder.event(podRef, 'Warning', 'ErrImageNeverPull', message);
      return { waiting: { reason: 'ErrImageNeverPull', message } };
    }
    const key = `${image}/${pod.metadata?.uid}`;
    const now = this.clock.now();
    const failedAt = this.failedAt.get(key) ?? 0;
    if (this.backoff.inBackoffSince(key, failedAt, now)) {
      this.recorder.event(podRef, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
      this.recorder.event(podRef, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      return { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ErrImagePull: ${this.lastError.get(key) ?? ''}` }, retryAt: this.backoff.endsAt(key, failedAt) };
    }
    this.recorder.event(podRef, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const started = this.clock.now();
    const secrets: Secret[] = [];
    for (const ref of pod.spec?.imagePullSecrets ?? []) {
      const s = ref.name ? await this.secrets(pod.metadata!.namespace!, ref.name) : undefined;
      if (s) secrets.push(s);
    }
    const auths = pullAuths(image, secrets);
    let err: Error | undefined;
    // Each matching credential in turn, then anonymously when there is none (as upstream's keyring).
    for (const auth of auths.length ? auths : [undefined]) {
      try {
        const res = await this.cri.pullImage({ image: { image }, ...(auth ? { auth } : {}), sandboxConfig });
        const st = (await this.cri.imageStatus({ image: { image: res.imageRef || image } })).image;
        const took = seconds(this.clock.now() - started);
        this.recorder.event(podRef, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${st?.size ?? 0} bytes.`);
        this.lastError.delete(key);
        this.failedAt.delete(key);
        return { imageRef: st?.id ?? res.imageRef, user: imageUser(st) };
      } catch (e) {
        err = e as Error;
      }
    }
    const message = `Failed to pull image "${image}": ${err!.message}`;
    const failed = this.clock.now();
    const delay = this.backoff.next(key, failed);
    this.failedAt.set(key, failed);
    this.lastError.set(key, err!.message);
    this.recorder.event(podRef, 'Warning', 'Failed', message);
    this.recorder.event(podRef, 'Warning', 'Failed', 'Error: ErrImagePull');
    // Looked at again shortly, to show ImagePullBackOff while the back-off lasts (ErrImagePull stays visible meanwhile).
    return { waiting: { reason: 'ErrImagePull', message: err!.message }, retryAt: failed + Math.min(delay, ERR_IMAGE_PULL_SHOWN_MS) };
  }

  /** Forgets the back-off of a pod's images (the pod is gone). */
  forgetPod(uid: string): void {
    for (const k of [...this.failedAt.keys()]) {
      if (k.endsWith(`/${uid}`)) {
        this.failedAt.delete(k);
        this.lastError.delete(k);
      }
    }
  }
}
