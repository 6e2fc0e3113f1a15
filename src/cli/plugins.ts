// Builds the schema-driven parts the API server is given: request codec, field manager, OpenAPI documents.
import { openapiDocuments, schemaLookup } from '../api/openapi';
import type { ResourceInfo } from '../api/types';
import { createFieldManager } from '../apiserver/apply';
import { schemaCodec } from '../apiserver/codec';
import type { ApiServerOptions } from '../apiserver/server';
import { KUBE_VERSION } from '../apiserver/version';
import { realClock } from '../util/clock';

/** The concrete codec, field manager and OpenAPI documents for `createApiServer`. */
export function apiServerPlugins(resources: ResourceInfo[]): Pick<ApiServerOptions, 'codec' | 'fieldManager' | 'openapi'> {
  const lookup = schemaLookup();
  return {
    codec: schemaCodec(lookup),
    fieldManager: createFieldManager({ schemas: lookup, clock: realClock }),
    openapi: openapiDocuments(resources, { version: `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.${KUBE_VERSION.patch}` }),
  };
}
