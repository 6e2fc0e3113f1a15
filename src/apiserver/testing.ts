// Builds a real API server over the memory store, without HTTP, for in-process tests of components.
import { generateKeyPairSync } from 'node:crypto';
import { builtinResources } from '../api/kinds';
import { openapiDocuments, schemaLookup } from '../api/openapi';
import type { Client } from '../client/types';
import { MemoryStore } from '../store/memory/memory-store';
import type { Clock } from '../util/clock';
import { realClock } from '../util/clock';
import { createFieldManager } from './apply';
import { bootstrapCluster } from './bootstrap';
import { schemaCodec } from './codec';
import { ApiServer, ApiServerOptions, createApiServer } from './server';
import { tokenKeys } from './serviceaccount/jwt';

/** The token signing key of every test server (one key: generating it per test would only cost time). */
export const TEST_TOKEN_KEYS = tokenKeys(
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
);

/** A started server (not listening) and an admin client to it. */
export interface TestApi {
  api: ApiServer;
  client: Client;
  close(): Promise<void>;
}

/** Starts an API server on a fresh memory store with the bootstrap namespaces. */
export async function startTestApi(clock: Clock = realClock, options: Pick<ApiServerOptions, 'eventTTLMs'> = {}): Promise<TestApi> {
  const store = new MemoryStore();
  const resources = builtinResources();
  const lookup = schemaLookup();
  const api = await createApiServer({
    store,
    resources,
    clock,
    tls: { cert: '', key: '', ca: '' },
    version: 'test',
    codec: schemaCodec(lookup),
    fieldManager: createFieldManager({ schemas: lookup, clock }),
    openapi: openapiDocuments(resources, { version: 'v1.32.4' }),
    tokenKeys: TEST_TOKEN_KEYS,
    ...options,
  });
  await bootstrapCluster(api);
  return {
    api,
    client: api.client({ username: 'system:admin', groups: ['system:masters'] }, 'test'),
    async close() {
      await api.close();
      await store.close();
    },
  };
}
