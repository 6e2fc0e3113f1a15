// What every pod streaming subresource does first: read the pod, pick its container, and find its node's kubelet.
import type { Pod } from 'kubernetes-types/core/v1';
import { badRequest } from '../../machinery/errors';
import type { KubeletStreaming, NodeStreamingRegistry } from '../../kubelet/streaming';
import type { HandlerContext, SubresourceTarget } from '../handlers/context';

/** Every container name of a pod in upstream's VisitContainers order: init, regular, ephemeral. */
export function containerNames(pod: Pod): string[] {
  const s = pod.spec;
  return [...(s?.initContainers ?? []), ...(s?.containers ?? []), ...(s?.ephemeralContainers ?? [])].map((c) => c.name);
}

/** upstream validateContainer: the named container, or the only one; 400 otherwise. */
export function resolveContainer(pod: Pod, container: string | undefined): string {
  const name = pod.metadata?.name ?? '';
  if (container) {
    if (!containerNames(pod).includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
    return container;
  }
  const regular = pod.spec?.containers ?? [];
  if (regular.length === 1) return regular[0].name;
  if (regular.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containerNames(pod).join(' ')}]`);
}

/** The current pod (404 as upstream when missing). */
export async function readPod(ctx: HandlerContext, target: SubresourceTarget): Promise<Pod> {
  return (await ctx.registry.get(target.resource, target.namespace, target.name)).obj as Pod;
}

/** The pod's node's kubelet; a pod on a node without one (a simulated node) has nothing to stream: 400 saying so. */
export function kubeletOf(registry: NodeStreamingRegistry, pod: Pod, what: string): KubeletStreaming {
  const node = pod.spec?.nodeName;
  const name = pod.metadata?.name ?? '';
  if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
  const kubelet = registry.get(node);
  if (!kubelet) throw badRequest(`pod "${name}" runs on simulated node "${node}": ${what}`);
  return kubelet;
}
