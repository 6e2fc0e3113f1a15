// Picks the definitions a document needs: those its operations name and everything they reference.
import type { ResourceInfo } from '../types';
import { DELETE_OPTIONS, STATUS } from './operations';
import { Definitions, GroupVersionKind, OpenAPISchema, refName } from './spec';

const WATCH_EVENT = 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent';

/** `roots` and every definition reachable from them through $refs, sorted by name. */
export function referencedDefinitions(defs: Definitions, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const visit = (s: OpenAPISchema | undefined): void => {
    if (!s) return;
    if (s.$ref) add(refName(s.$ref));
    visit(s.items);
    visit(s.additionalProperties);
    for (const p of Object.values(s.properties ?? {})) visit(p);
  };
  const add = (name: string): void => {
    if (seen.has(name)) return;
    const s = defs[name];
    if (!s) throw new Error(`OpenAPI definition ${name} is missing; is its module in MODULES of generate.ts?`);
    seen.add(name);
    visit(s);
  };
  for (const r of roots) add(r);
  return [...seen].sort();
}

/** The named definitions as a served document carries them: the meta types get the GVKs of every served group version, as upstream. */
export function servedDefinitions(defs: Definitions, names: string[], resources: ResourceInfo[]): Definitions {
  const gvs = new Map<string, { group: string; version: string }>([['/v1', { group: '', version: 'v1' }]]);
  for (const r of resources) gvs.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  const every = (kind: string): GroupVersionKind[] => [...gvs.values()].map(({ group, version }) => ({ group, kind, version }));
  const gvks: Record<string, GroupVersionKind[]> = {
    [DELETE_OPTIONS]: every('DeleteOptions'),
    [WATCH_EVENT]: every('WatchEvent'),
    [STATUS]: [{ group: '', kind: 'Status', version: 'v1' }],
  };
  const out: Definitions = {};
  for (const n of names) out[n] = gvks[n] ? { ...defs[n], 'x-kubernetes-group-version-kind': gvks[n] } : defs[n];
  return out;
}
