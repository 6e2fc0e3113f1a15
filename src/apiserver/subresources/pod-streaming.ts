// The pod streaming subresources (log, exec, attach, portforward) to register on the API server, as upstream advertises them.
import type { NodeStreamingRegistry } from '../../kubelet/streaming';
import type { ExtraSubresource } from '../discovery';
import type { SubresourceHandler } from '../handlers/context';
import { podRemoteCommandHandler } from './pod-exec';
import { podLogHandler } from './pod-log';
import { podPortForwardHandler } from './pod-portforward';

const pods = { group: '', version: 'v1', resource: 'pods' };

/** pods/log, pods/exec, pods/attach and pods/portforward over the kubelets in `registry`; pass each to api.addSubresource. */
export function podStreamingSubresources(registry: NodeStreamingRegistry): { sub: ExtraSubresource; handler: SubresourceHandler }[] {
  return [
    { sub: { ...pods, subresource: 'log', kind: 'Pod', verbs: ['get'] }, handler: podLogHandler(registry) },
    { sub: { ...pods, subresource: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] }, handler: podRemoteCommandHandler(registry, false) },
    { sub: { ...pods, subresource: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] }, handler: podRemoteCommandHandler(registry, true) },
    { sub: { ...pods, subresource: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] }, handler: podPortForwardHandler(registry) },
  ];
}
