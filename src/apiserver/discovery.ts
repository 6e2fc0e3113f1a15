// Discovery documents: legacy (/api, /apis, /apis/g, /apis/g/v) and aggregated (apidiscovery.k8s.io/v2), built once.
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../api/types';
import { groupVersion } from '../api/types';
import type { ResourceTable } from './resource-table';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS = ['get', 'patch', 'update'];

/** An extra subresource a component serves (pods/log, pods/exec, pods/eviction, …). */
export interface ExtraSubresource {
  group: string;
  version: string;
  resource: string;
  subresource: string;
  kind: string;
  responseGroup?: string;
  responseVersion?: string;
  verbs: string[];
}

function storageVersionHash(r: ResourceInfo): string {
  return createHash('sha256').update(`${r.group}/${r.version}/${r.kind}`).digest('base64').slice(0, 11);
}

function subresourcesOf(r: ResourceInfo, extra: ExtraSubresource[]): ExtraSubresource[] {
  const out: ExtraSubresource[] = [];
  const base = { group: r.group, version: r.version, resource: r.resource };
  if (r.status) out.push({ ...base, subresource: 'status', kind: r.kind, verbs: SUB_VERBS });
  if (r.scale) out.push({ ...base, subresource: 'scale', kind: 'Scale', responseGroup: 'autoscaling', responseVersion: 'v1', verbs: SUB_VERBS });
  out.push(...extra.filter((e) => e.group === r.group && e.version === r.version && e.resource === r.resource));
  return out;
}

/** The served discovery documents. */
export class Discovery {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly table: ResourceTable,
    private readonly extra: ExtraSubresource[] = [],
    private readonly serverAddress = '127.0.0.1:6443',
  ) {}

  private once(key: string, build: () => unknown): string {
    let s = this.cache.get(key);
    if (s === undefined) this.cache.set(key, (s = JSON.stringify(build())));
    return s;
  }

  /** /api */
  apiVersions(): string {
    return this.once('api', () => ({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.serverAddress }],
    }));
  }

  private apiGroup(name: string, versions: string[]) {
    const gvs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: gvs, preferredVersion: gvs[0] };
  }

  /** /apis */
  apiGroupList(): string {
    return this.once('apis', () => ({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.table.groups().filter((g) => g.name !== '').map((g) => this.apiGroup(g.name, g.versions)),
    }));
  }

  /** /apis/<group>, or undefined when not served. */
  apiGroupDoc(group: string): string | undefined {
    const g = this.table.groups().find((x) => x.name === group && group !== '');
    if (!g) return undefined;
    return this.once(`group:${group}`, () => ({ kind: 'APIGroup', apiVersion: 'v1', ...this.apiGroup(g.name, g.versions) }));
  }

  /** /api/v1 or /apis/<group>/<version>, or undefined when not served. */
  resourceList(group: string, version: string): string | undefined {
    const rs = this.table.all.filter((r) => r.group === group && r.version === version);
    if (!rs.length) return undefined;
    return this.once(`rl:${group}/${version}`, () => ({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: groupVersion({ group, version }),
      resources: rs.flatMap((r) => [
        {
          name: r.resource,
          singularName: r.singular,
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: VERBS,
          ...(r.shortNames ? { shortNames: r.shortNames } : {}),
          ...(r.categories ? { categories: r.categories } : {}),
          storageVersionHash: storageVersionHash(r),
        },
        ...subresourcesOf(r, this.extra).map((s) => ({
          name: `${r.resource}/${s.subresource}`,
          singularName: '',
          namespaced: r.namespaced,
          ...(s.responseGroup !== undefined ? { group: s.responseGroup, version: s.responseVersion } : {}),
          kind: s.kind,
          verbs: s.verbs,
        })),
      ]),
    }));
  }

  /** Aggregated discovery for /api (legacy=true) or /apis, in apidiscovery.k8s.io/<version>. */
  aggregated(legacy: boolean, apiVersion: 'v2' | 'v2beta1'): string {
    return this.once(`agg:${legacy}:${apiVersion}`, () => ({
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${apiVersion}`,
      metadata: {},
      items: this.table
        .groups()
        .filter((g) => (legacy ? g.name === '' : g.name !== ''))
        .map((g) => ({
          metadata: { name: g.name, creationTimestamp: null },
          versions: g.versions.map((v) => ({
            version: v,
            resources: this.table.all
              .filter((r) => r.group === g.name && r.version === v)
              .map((r) => ({
                resource: r.resource,
                responseKind: { group: r.group, version: r.version, kind: r.kind },
                scope: r.namespaced ? 'Namespaced' : 'Cluster',
                singularResource: r.singular,
                verbs: VERBS,
                ...(r.shortNames ? { shortNames: r.shortNames } : {}),
                ...(r.categories ? { categories: r.categories } : {}),
                subresources: subresourcesOf(r, this.extra).map((s) => ({
                  subresource: s.subresource,
                  responseKind: { group: s.responseGroup ?? r.group, version: s.responseVersion ?? r.version, kind: s.kind },
                  verbs: s.verbs,
                })),
              })),
            freshness: 'Current',
          })),
        })),
    }));
  }
}
