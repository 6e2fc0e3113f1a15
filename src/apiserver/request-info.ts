// Parses a resource URL into what is asked (verb, group, version, namespace, resource, name, subresource).

/** What a request under /api or /apis addresses. */
export interface RequestInfo {
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
}

const verbs: Record<string, [RequestInfo['verb'], RequestInfo['verb']]> = {
  // [verb with a name, verb on the collection]
  GET: ['get', 'list'],
  POST: ['create', 'create'],
  PUT: ['update', 'update'],
  PATCH: ['patch', 'patch'],
  DELETE: ['delete', 'deletecollection'],
};

/** Returns the resource request for a path, or undefined for non-resource paths (/api, /apis/apps, /healthz…). */
export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return undefined;
  const pair = verbs[method];
  if (!pair) return undefined;
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  // /namespaces/{ns}/{resource}…, but /namespaces/{name}[/status|finalize] addresses the Namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name = '', subresource = '', ...extra] = rest;
  if (!resource || extra.length > 0) return undefined;
  let verb = name ? pair[0] : pair[1];
  const watchParam = query.get('watch');
  if (watchPath || ((verb === 'list' || verb === 'get') && (watchParam === 'true' || watchParam === '1'))) verb = 'watch';
  return { verb, group, version, namespace, resource, name, subresource };
}
