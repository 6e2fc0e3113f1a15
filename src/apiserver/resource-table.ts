// Index of served resources by group/version/resource, and where each one is stored.
import type { ResourceInfo } from '../api/types';

/** Lookups over the served resources. */
export class ResourceTable {
  private readonly byGVR = new Map<string, ResourceInfo>();
  private readonly byGVK = new Map<string, ResourceInfo>();

  constructor(readonly all: ResourceInfo[]) {
    for (const r of all) {
      this.byGVR.set(`${r.group}/${r.version}/${r.resource}`, r);
      this.byGVK.set(`${r.group}/${r.version}/${r.kind}`, r);
    }
  }

  /** The resource served at /apis/group/version/resource, if any. */
  lookup(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.byGVR.get(`${group}/${version}/${resource}`);
  }

  /** The resource of a kind in a group/version. */
  byKind(group: string, version: string, kind: string): ResourceInfo | undefined {
    return this.byGVK.get(`${group}/${version}/${kind}`);
  }

  /** The resource version objects are stored as (itself unless it has a StorageBinding). */
  storageOf(r: ResourceInfo): ResourceInfo {
    if (!r.storage) return r;
    const s = this.lookup(r.storage.group, r.storage.version, r.storage.resource);
    if (!s) throw new Error(`storage version ${r.storage.group}/${r.storage.version} ${r.storage.resource} is not served`);
    return s;
  }

  /** Served groups in discovery order, each with its versions (preferred first). */
  groups(): { name: string; versions: string[] }[] {
    const out: { name: string; versions: string[] }[] = [];
    for (const r of this.all) {
      let g = out.find((x) => x.name === r.group);
      if (!g) out.push((g = { name: r.group, versions: [] }));
      if (!g.versions.includes(r.version)) g.versions.push(r.version);
    }
    return out;
  }
}

/** The store prefix holding every object of a resource: /registry/<group|core>/<resource>/. */
export function resourcePrefix(r: ResourceInfo): string {
  return `/registry/${r.group || 'core'}/${r.resource}/`;
}

/** The store key of one object. */
export function objectKey(r: ResourceInfo, namespace: string, name: string): string {
  return r.namespaced ? `${resourcePrefix(r)}${namespace}/${name}` : `${resourcePrefix(r)}${name}`;
}

/** The store prefix of one namespace's objects (or all of them for "" or a cluster-scoped resource). */
export function listPrefix(r: ResourceInfo, namespace: string): string {
  return r.namespaced && namespace ? `${resourcePrefix(r)}${namespace}/` : resourcePrefix(r);
}
