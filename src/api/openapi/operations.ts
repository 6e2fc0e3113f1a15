// The REST operations of served resources, as upstream lists them in OpenAPI paths (kubectl reads the GVK and parameters).
import { groupVersion, ResourceInfo } from '../types';
import type { GroupVersionKind } from './spec';

/** A query parameter of an operation. */
export interface QueryParam {
  name: string;
  type: 'string' | 'boolean' | 'integer';
  description: string;
}

/** One operation on one path, independent of the OpenAPI version it is written in. */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** x-kubernetes-action: get, list, post, put, patch, delete, deletecollection; none for discovery. */
  action?: string;
  operationId: string;
  description: string;
  gvk?: GroupVersionKind;
  query: QueryParam[];
  /** Definition of the request body; patches take meta.v1.Patch in any of PATCH_TYPES. */
  body?: string;
  /** Definition of the 200 (and 201/202) answer. */
  response: string;
  /** Status codes besides 200 and 401. */
  alsoAnswers?: ('201' | '202')[];
}

/** A path with the operations served on it; `pathParams` are its {namespace} and {name} segments. */
export interface PathItem {
  path: string;
  tag: string;
  pathParams: { name: string; description: string }[];
  operations: Operation[];
}

/** The media types PATCH accepts; kubectl's apply looks for strategic-merge-patch before computing one. */
export const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
/** The answer of deletes: meta.v1.Status. */
export const STATUS = `${META}.Status`;
/** The body of deletes: meta.v1.DeleteOptions. */
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
const PATCH = `${META}.Patch`;
const API_RESOURCE_LIST = `${META}.APIResourceList`;
const SCALE = 'io.k8s.api.autoscaling.v1.Scale';

const q = (name: string, type: QueryParam['type'], description: string): QueryParam => ({ name, type, description });
const P = {
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'Asks a watch for BOOKMARK events; ignored unless watch is true.'),
  continue: q('continue', 'string', 'The continue token of a previous chunked list response, to fetch the next chunk.'),
  dryRun: q('dryRun', 'string', 'When present, the request is validated and processed but not persisted. The only valid value is All.'),
  fieldManager: q('fieldManager', 'string', 'The name of the actor making the change, recorded in managedFields. Required for apply patches.'),
  fieldSelector: q('fieldSelector', 'string', 'Restricts the returned objects by their fields. Defaults to everything.'),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'How to treat unknown or duplicate fields in the body: Ignore drops them, Warn drops them with a Warning each (the default), Strict fails with BadRequest.',
  ),
  force: q('force', 'boolean', 'Forces an apply patch to take fields owned by other managers. Only for apply patches.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; zero deletes immediately. Defaults per kind.'),
  labelSelector: q('labelSelector', 'string', 'Restricts the returned objects by their labels. Defaults to everything.'),
  limit: q('limit', 'integer', 'The most objects to return; a continue token in the list metadata fetches the rest.'),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy. Whether dependents are orphaned.'),
  propagationPolicy: q('propagationPolicy', 'string', 'Garbage collection of dependents: Orphan, Background or Foreground.'),
  resourceVersion: q('resourceVersion', 'string', 'Which resource versions the request may be served from.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'How resourceVersion applies to a list: Exact or NotOlderThan.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', 'Starts a watch with synthetic ADDED events for the current objects, then a bookmark.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Time limit of a list or watch call.'),
  watch: q('watch', 'boolean', 'Watch for changes and return them as a stream of add, update and remove notifications.'),
};
const SELECT = [P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds];
const LIST = [P.allowWatchBookmarks, ...SELECT, P.watch];
const WRITE = [P.dryRun, P.fieldManager, P.fieldValidation];
const DELETE = [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy];
const DELETE_COLLECTION = [...SELECT, ...DELETE];

/** The path prefix of a group version: /api/v1 or /apis/apps/v1. */
export const groupVersionPath = (r: { group: string; version: string }): string => (r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`);

/** upstream's operation naming: "Core" for the legacy group, "RbacAuthorization" for rbac.authorization.k8s.io. */
function groupWord(group: string): string {
  if (!group) return 'core';
  return group.replace(/\.k8s\.io$/, '').split('.').map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join('');
}
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** Every path of one group version: discovery of the version, then each resource's collection, item and subresources. */
export function groupVersionPaths(gv: { group: string; version: string }, resources: ResourceInfo[]): PathItem[] {
  const tag = `${groupWord(gv.group)}_${gv.version}`;
  const prefix = groupVersionPath(gv);
  const ids = `${cap(groupWord(gv.group))}${cap(gv.version)}`;
  const discovery: Operation = { method: 'get', operationId: `get${ids}APIResources`, description: 'get available resources', query: [], response: API_RESOURCE_LIST };
  const items: PathItem[] = [{ path: `${prefix}/`, tag, pathParams: [], operations: [discovery] }];
  for (const r of resources) if (r.group === gv.group && r.version === gv.version) items.push(...resourcePaths(r, prefix, tag, ids));
  return items.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function resourcePaths(r: ResourceInfo, prefix: string, tag: string, ids: string): PathItem[] {
  const gvk: GroupVersionKind = { group: r.group, kind: r.kind, version: r.version };
  const scope = r.namespaced ? 'Namespaced' : '';
  const id = (verb: string, suffix = '') => `${verb}${ids}${scope}${r.kind}${suffix}`;
  const collection = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
  const nsParams = r.namespaced ? [{ name: 'namespace', description: 'object name and auth scope, such as for teams and projects' }] : [];
  const itemParams = [{ name: 'name', description: `name of the ${r.kind}` }, ...nsParams];
  const list = `${r.definition}List`;
  const listOp = (operationId: string): Operation => ({ method: 'get', action: 'list', operationId, description: `list or watch objects of kind ${r.kind}`, gvk, query: LIST, response: list });
  // get, put and patch of the object, or of its status or scale ("Status", "status of ").
  const kindOps = (suffix: string, what: string, object: string, opGvk: GroupVersionKind): Operation[] => [
    { method: 'get', action: 'get', operationId: id('read', suffix), description: `read ${what}the specified ${r.kind}`, gvk: opGvk, query: [], response: object },
    {
      method: 'put', action: 'put', operationId: id('replace', suffix), description: `replace ${what}the specified ${r.kind}`,
      gvk: opGvk, query: WRITE, body: object, response: object, alsoAnswers: ['201'],
    },
    {
      method: 'patch', action: 'patch', operationId: id('patch', suffix), description: `partially update ${what}the specified ${r.kind}`,
      gvk: opGvk, query: [...WRITE, P.force], body: PATCH, response: object, alsoAnswers: ['201'],
    },
  ];
  const out: PathItem[] = [
    {
      path: collection, tag, pathParams: nsParams,
      operations: [
        listOp(id('list')),
        { method: 'post', action: 'post', operationId: id('create'), description: `create a ${r.kind}`, gvk, query: WRITE, body: r.definition, response: r.definition, alsoAnswers: ['201', '202'] },
        {
          method: 'delete', action: 'deletecollection', operationId: `delete${ids}Collection${scope}${r.kind}`, description: `delete collection of ${r.kind}`,
          gvk, query: DELETE_COLLECTION, body: DELETE_OPTIONS, response: STATUS,
        },
      ],
    },
    {
      path: `${collection}/{name}`, tag, pathParams: itemParams,
      operations: [
        ...kindOps('', '', r.definition, gvk),
        { method: 'delete', action: 'delete', operationId: id('delete'), description: `delete a ${r.kind}`, gvk, query: DELETE, body: DELETE_OPTIONS, response: STATUS, alsoAnswers: ['202'] },
      ],
    },
  ];
  if (r.namespaced) out.push({ path: `${prefix}/${r.resource}`, tag, pathParams: [], operations: [listOp(`list${ids}${r.kind}ForAllNamespaces`)] });
  if (r.status) out.push({ path: `${collection}/{name}/status`, tag, pathParams: itemParams, operations: kindOps('Status', 'status of ', r.definition, gvk) });
  if (r.scale) {
    const scale = { group: 'autoscaling', kind: 'Scale', version: 'v1' };
    out.push({ path: `${collection}/{name}/scale`, tag, pathParams: itemParams, operations: kindOps('Scale', 'scale of ', SCALE, scale) });
  }
  return out;
}

/** The served group versions in first-seen order. */
export function servedGroupVersions(resources: ResourceInfo[]): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of resources) if (!seen.has(groupVersion(r))) seen.set(groupVersion(r), { group: r.group, version: r.version });
  return [...seen.values()];
}
