// Builds the /openapi/v3/<group-version> documents: OpenAPI 3.0 with the group version's paths and the schemas they use.
import type { ResourceInfo } from '../types';
import { referencedDefinitions, servedDefinitions } from './closure';
import { groupVersionPaths, Operation, PATCH_TYPES, PathItem } from './operations';
import { Definitions, INT_OR_STRING, OpenAPISchema, QUANTITY, refName } from './spec';

const MEDIA = ['application/json', 'application/yaml'];
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The OpenAPI 3.0 document of one served group version; `version` is the Kubernetes gitVersion (info.version). */
export function buildOpenAPIV3(defs: Definitions, resources: ResourceInfo[], gv: { group: string; version: string }, version: string): object {
  const items = groupVersionPaths(gv, resources);
  const roots = new Set(items.flatMap((i) => i.operations.flatMap((o) => (o.body ? [o.body, o.response] : [o.response]))));
  const served = servedDefinitions(defs, referencedDefinitions(defs, roots), resources);
  const schemas: Record<string, object> = {};
  for (const [name, s] of Object.entries(served)) schemas[name] = v3Definition(name, s);
  const paths: Record<string, object> = {};
  for (const item of items) paths[item.path] = pathItem(item);
  return {
    components: {
      schemas,
      securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    },
    info: { title: 'Kubernetes', version },
    openapi: '3.0.0',
    paths,
  };
}

// v3 lets IntOrString and Quantity say what they accept, where v2 can only call them strings.
function v3Definition(name: string, s: OpenAPISchema): object {
  if (name === INT_OR_STRING) return { description: s.description, format: s.format, oneOf: [{ type: 'integer' }, { type: 'string' }] };
  if (name === QUANTITY) return { description: s.description, oneOf: [{ type: 'string' }, { type: 'number' }] };
  return v3Schema(s);
}

/** A v2 schema in v3 form: refs into components, and a ref with siblings (description, extensions) wrapped in allOf as upstream. */
function v3Schema(s: OpenAPISchema): object {
  const { $ref, items, additionalProperties, properties, ...rest } = s;
  const out: Record<string, unknown> = { ...rest };
  if (items) out.items = v3Schema(items);
  if (additionalProperties) out.additionalProperties = v3Schema(additionalProperties);
  if (properties) out.properties = Object.fromEntries(Object.entries(properties).map(([k, p]) => [k, v3Schema(p)]));
  if (!$ref) return out;
  const target = ref(refName($ref));
  return Object.keys(out).length ? { allOf: [target], ...out } : target;
}

function pathItem(item: PathItem): object {
  const out: Record<string, unknown> = {};
  for (const op of item.operations) out[op.method] = operation(op, item.tag);
  out.parameters = [
    ...item.pathParams.map((p) => ({ description: p.description, in: 'path', name: p.name, required: true, schema: { type: 'string', uniqueItems: true } })),
    { description: "If 'true', then the output is pretty printed.", in: 'query', name: 'pretty', schema: { type: 'string', uniqueItems: true } },
  ];
  return out;
}

function operation(op: Operation, tag: string): object {
  const content = (name: string, types: string[]) => Object.fromEntries(types.map((t) => [t, { schema: ref(name) }]));
  const responses: Record<string, object> = { '200': { content: content(op.response, MEDIA), description: 'OK' } };
  for (const code of op.alsoAnswers ?? []) responses[code] = { content: content(op.response, MEDIA), description: code === '201' ? 'Created' : 'Accepted' };
  responses['401'] = { description: 'Unauthorized' };
  const body = op.body && {
    content: content(op.body, op.method === 'patch' ? PATCH_TYPES : ['*/*']),
    required: op.method === 'delete' ? undefined : true,
  };
  return {
    description: op.description,
    operationId: op.operationId,
    parameters: op.query.length ? op.query.map((p) => ({ description: p.description, in: 'query', name: p.name, schema: { type: p.type, uniqueItems: true } })) : undefined,
    requestBody: body,
    responses,
    tags: [tag],
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
}
