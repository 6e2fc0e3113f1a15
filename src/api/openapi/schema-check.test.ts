// Tests for request decoding checks: upstream's strict-decoding paths and encoding/json type error wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDefinitions } from './generate';
import { checkAgainstSchema, strictDecodingMessage, unknownFieldMessage } from './schema-check';
import { schemaLookupFrom } from './schema-lookup';

const lookup = schemaLookupFrom(generateDefinitions());
const deployment = lookup.definition('io.k8s.api.apps.v1.Deployment')!;

function deploy(spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { a: 'b' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ...container }] } },
      ...spec,
    },
  };
}

test('a valid object passes', () => {
  assert.deepEqual(checkAgainstSchema(deploy({ strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } }), deployment), { unknownFields: [], typeErrors: [] });
});

test('finds unknown fields with upstream paths and messages', () => {
  const c = checkAgainstSchema(deploy({ foo: 1 }, { imagee: 'x' }), deployment);
  // Document order: deploy() puts extra spec fields after the template.
  assert.deepEqual(c.unknownFields, ['spec.template.spec.containers[0].imagee', 'spec.foo']);
  assert.equal(unknownFieldMessage(c.unknownFields[1]), 'unknown field "spec.foo"');
  assert.equal(strictDecodingMessage(['spec.foo', 'spec.bar']), 'strict decoding error: unknown field "spec.foo", unknown field "spec.bar"');
  // Case matters, as in upstream's case-sensitive decoder; inherited object keys are not fields.
  assert.deepEqual(checkAgainstSchema({ Spec: {}, constructor: 1 }, deployment).unknownFields, ['Spec', 'constructor']);
});

test('words type errors as encoding/json does', () => {
  const errs = (spec: Record<string, unknown>, container: Record<string, unknown> = {}) => checkAgainstSchema(deploy(spec, container), deployment).typeErrors;
  assert.deepEqual(errs({ replicas: 'three' }), ['json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32']);
  assert.deepEqual(errs({ replicas: 1.5 }), ['json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32']);
  assert.deepEqual(errs({ replicas: 2 ** 31 }), ['json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32']);
  assert.deepEqual(errs({ strategy: 'Recreate' }), ['json: cannot unmarshal string into Go struct field DeploymentSpec.spec.strategy of type v1.DeploymentStrategy']);
  assert.deepEqual(errs({}, { ports: [{ containerPort: '80' }] }), [
    'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
  ]);
  assert.deepEqual(errs({ selector: { matchLabels: { app: true } } }), ['json: cannot unmarshal bool into Go struct field LabelSelector.spec.selector.matchLabels of type string']);
  assert.deepEqual(errs({ template: { spec: { containers: {} } } }), ['json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container']);
  assert.deepEqual(errs({ strategy: { rollingUpdate: { maxSurge: true } } }), [
    'json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
  ]);
  assert.deepEqual(checkAgainstSchema([], deployment).typeErrors, ['json: cannot unmarshal array into Go value of type v1.Deployment']);
});

test('quantities and bytes are checked as their decoders do', () => {
  const errs = checkAgainstSchema(deploy({}, { resources: { limits: { cpu: 'lots', memory: 128, 'example.com/x': '1Gi' } } }), deployment).typeErrors;
  assert.deepEqual(errs, ["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]);
  const secret = lookup.definition('io.k8s.api.core.v1.Secret')!;
  assert.deepEqual(checkAgainstSchema({ data: { ok: 'aGk=', bad: 'hi!!' } }, secret).typeErrors, ['illegal base64 data at input byte 2']);
  assert.deepEqual(checkAgainstSchema({ data: { n: 1 } }, secret).typeErrors, ['json: cannot unmarshal number into Go struct field Secret.data of type []uint8']);
});

test('null is always accepted and raw extensions keep anything', () => {
  assert.deepEqual(checkAgainstSchema(deploy({ replicas: null, strategy: null }), deployment), { unknownFields: [], typeErrors: [] });
  const revision = lookup.definition('io.k8s.api.apps.v1.ControllerRevision')!;
  assert.deepEqual(checkAgainstSchema({ revision: 1, data: { anything: [1, { goes: true }] } }, revision), { unknownFields: [], typeErrors: [] });
  const managed = { metadata: { managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] } };
  assert.deepEqual(checkAgainstSchema(managed, deployment), { unknownFields: [], typeErrors: [] });
});
