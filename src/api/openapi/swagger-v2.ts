// Builds the /openapi/v2 document: swagger 2.0 with every served definition and one path per resource operation.
import type { ResourceInfo } from '../types';
import { referencedDefinitions, servedDefinitions } from './closure';
import { groupVersionPaths, Operation, PATCH_TYPES, PathItem, servedGroupVersions } from './operations';
import { Definitions, refTo } from './spec';

const MEDIA = ['application/json', 'application/yaml'];

/** The swagger 2.0 document for the served resources; `version` is the Kubernetes gitVersion (info.version). */
export function buildSwaggerV2(defs: Definitions, resources: ResourceInfo[], version: string): object {
  const items = servedGroupVersions(resources).flatMap((gv) => groupVersionPaths(gv, resources));
  const roots = new Set(items.flatMap((i) => i.operations.flatMap((o) => (o.body ? [o.body, o.response] : [o.response]))));
  const paths: Record<string, object> = {};
  for (const item of items) paths[item.path] = pathItem(item);
  return {
    definitions: servedDefinitions(defs, referencedDefinitions(defs, roots), resources),
    info: { title: 'Kubernetes', version },
    paths,
    security: [{ BearerToken: [] }],
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    swagger: '2.0',
  };
}

function pathItem(item: PathItem): object {
  const out: Record<string, unknown> = {};
  for (const op of item.operations) out[op.method] = operation(op, item.tag);
  out.parameters = [
    ...item.pathParams.map((p) => ({ description: p.description, in: 'path', name: p.name, required: true, type: 'string', uniqueItems: true })),
    { description: "If 'true', then the output is pretty printed.", in: 'query', name: 'pretty', type: 'string', uniqueItems: true },
  ];
  return out;
}

function operation(op: Operation, tag: string): object {
  const parameters: object[] = op.body ? [{ in: 'body', name: 'body', required: true, schema: { $ref: refTo(op.body) } }] : [];
  for (const p of op.query) parameters.push({ description: p.description, in: 'query', name: p.name, type: p.type, uniqueItems: true });
  const responses: Record<string, object> = { '200': { description: 'OK', schema: { $ref: refTo(op.response) } } };
  for (const code of op.alsoAnswers ?? []) responses[code] = { description: code === '201' ? 'Created' : 'Accepted', schema: { $ref: refTo(op.response) } };
  responses['401'] = { description: 'Unauthorized' };
  return {
    consumes: op.method === 'patch' ? PATCH_TYPES : ['*/*'],
    description: op.description,
    operationId: op.operationId,
    parameters: parameters.length ? parameters : undefined,
    produces: MEDIA,
    responses,
    schemes: ['https'],
    tags: [tag],
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
}
