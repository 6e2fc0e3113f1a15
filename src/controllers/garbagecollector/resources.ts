// The resources the collector watches (every served kind but events) and owner-reference kind resolution.
import { builtinResources } from '../../api/kinds';
import type { GVR } from '../../client/types';
import type { KindResolver } from './graph';

/** A watched resource. */
export interface CollectableResource {
  gvr: GVR;
  kind: string;
  namespaced: boolean;
}

/** Stored versions of every served resource; events are never owners or collected, as upstream ignores them. */
export function collectableResources(): CollectableResource[] {
  return builtinResources()
    .filter((r) => !r.storage && r.resource !== 'events')
    .map((r) => ({ gvr: { group: r.group, version: r.version, resource: r.resource }, kind: r.kind, namespaced: r.namespaced }));
}

/** Resolves an owner reference's apiVersion and kind by group and kind, whatever the version. */
export function kindResolver(resources: CollectableResource[]): KindResolver {
  const byGroupKind = new Map(resources.map((r) => [`${r.gvr.group}/${r.kind}`, r]));
  return (apiVersion, kind) => {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const r = byGroupKind.get(`${group}/${kind}`);
    return r && { gvr: r.gvr, namespaced: r.namespaced };
  };
}
