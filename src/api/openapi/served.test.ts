// Tests for the served documents: what kubectl reads from them, and upstream's HTTP behaviour around them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { builtinResources } from '../kinds';
import { generateDefinitions } from './generate';
import { acceptsJSON, openapiDocuments } from './served';

const docs = openapiDocuments(builtinResources(), { version: 'v1.32.4', definitions: generateDefinitions() });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const parse = (body: string): any => JSON.parse(body);

test('the v3 index lists every served group version with its hash URL', () => {
  const index = parse(docs.v3Index().body);
  assert.ok(index.paths['api/v1']);
  assert.equal(index.paths['apis/apps/v1'].serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${docs.v3('apis/apps/v1')!.etag}`);
  assert.ok(index.paths['apis/rbac.authorization.k8s.io/v1']);
  assert.match(docs.v3('apis/apps/v1')!.etag, /^[0-9A-F]{128}$/);
  assert.equal(docs.v3('apis/nope/v1'), undefined);
});

test('the apps/v1 v3 document has Deployment, its paths, and refs that all resolve', () => {
  const doc = parse(docs.v3('apis/apps/v1')!.body);
  assert.equal(doc.openapi, '3.0.0');
  assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.32.4' });
  const schemas = doc.components.schemas;
  assert.deepEqual(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  const strategy = schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy;
  assert.deepEqual(strategy.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }]);
  assert.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys');
  assert.equal(schemas['io.k8s.api.core.v1.PodSpec'].properties.containers['x-kubernetes-patch-merge-key'], 'name');
  assert.deepEqual(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].oneOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.ok(schemas['io.k8s.api.autoscaling.v1.Scale'], 'the scale subresource brings its schema');
  const refs = [...docs.v3('apis/apps/v1')!.body.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(refs.filter((r) => !schemas[r]), []);

  // kubectl: explain finds the GVK on these paths; apply and --validate look for a PATCH with these.
  const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  assert.deepEqual(item.get['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.equal(item.patch['x-kubernetes-action'], 'patch');
  assert.ok(item.patch.requestBody.content['application/strategic-merge-patch+json']);
  assert.ok(item.patch.parameters.some((p: { name: string; in: string }) => p.name === 'fieldValidation' && p.in === 'query'));
  assert.ok(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'].get);
  assert.ok(doc.paths['/apis/apps/v1/deployments'].get);
  assert.equal(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].get['x-kubernetes-group-version-kind'].kind, 'Scale');
});

test('cluster-scoped resources have no namespace segment', () => {
  const doc = parse(docs.v3('api/v1')!.body);
  assert.ok(doc.paths['/api/v1/namespaces/{name}'].get);
  assert.ok(doc.paths['/api/v1/nodes/{name}/status'].patch);
  assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].get.operationId, 'readCoreV1NamespacedPod');
});

test('the v2 document is swagger 2.0 with every served kind', () => {
  const doc = parse(docs.v2().body);
  assert.equal(doc.swagger, '2.0');
  assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.32.4' });
  for (const kind of ['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.core.v1.Pod', 'io.k8s.api.networking.v1.Ingress', 'io.k8s.api.core.v1.PodList']) assert.ok(doc.definitions[kind], kind);
  const gvks = doc.definitions['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind'];
  assert.ok(gvks.some((g: { group: string }) => g.group === 'apps'));
  const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
});

test('respond negotiates, redirects stale hashes, caches and compresses as upstream', () => {
  const v2 = docs.respond({ path: '/openapi/v2', headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } })!;
  assert.equal(v2.status, 406);
  const json = docs.respond({ path: '/openapi/v2', headers: { accept: 'application/json', 'accept-encoding': 'gzip' } })!;
  assert.equal(json.status, 200);
  assert.equal(json.headers['Content-Encoding'], 'gzip');
  assert.equal(gunzipSync(json.body).toString(), docs.v2().body);
  const etag = docs.v3('apis/apps/v1')!.etag;
  const stale = docs.respond({ path: '/openapi/v3/apis/apps/v1', query: new URLSearchParams('hash=OLD') })!;
  assert.deepEqual([stale.status, stale.headers.Location], [301, `/openapi/v3/apis/apps/v1?hash=${etag}`]);
  const fresh = docs.respond({ path: '/openapi/v3/apis/apps/v1', query: new URLSearchParams(`hash=${etag}`) })!;
  assert.equal(fresh.headers['Cache-Control'], 'public, immutable');
  assert.equal(fresh.body.toString(), docs.v3('apis/apps/v1')!.body);
  assert.equal(docs.respond({ path: '/openapi/v3/apis/apps/v1', headers: { 'if-none-match': `"${etag}"` } })!.status, 304);
  assert.equal(docs.respond({ path: '/openapi/v3/apis/nope/v1' })!.status, 404);
  assert.equal(docs.respond({ path: '/openapi/v3' })!.headers['Content-Type'], 'application/json');
  assert.equal(docs.respond({ path: '/api/v1' }), undefined);
});

test('acceptsJSON reads Accept like goautoneg for the one type offered', () => {
  assert.equal(acceptsJSON(undefined), true);
  assert.equal(acceptsJSON('application/json, */*'), true);
  assert.equal(acceptsJSON('application/*;q=0.5'), true);
  assert.equal(acceptsJSON('application/json;q=0'), false);
  assert.equal(acceptsJSON('application/com.github.proto-openapi.spec.v3@v1.0+protobuf'), false);
});
