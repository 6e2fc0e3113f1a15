// Hand-built protobuf bodies: presence rules, special types, wire variants, and every way a body can be refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/errors';
import { decodeKubernetesProtobuf } from './decode';
import { upstreamDefinition } from './upstream-definition';

// A minimal encoder: just enough protobuf to write the cases below.
function varint(v: number | bigint): number[] {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x ? b | 0x80 : b);
  } while (x);
  return out;
}
const int = (field: number, v: number | bigint) => Buffer.from([...varint(field << 3), ...varint(v)]);
const len = (field: number, ...parts: (Buffer | string)[]) => {
  const b = Buffer.concat(parts.map((p) => Buffer.from(p)));
  return Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(b.length)]), b]);
};
const fixed = (field: number, wire: 1 | 5) => Buffer.from([...varint((field << 3) | wire), ...Array(wire === 1 ? 8 : 4).fill(7)]);
const typeMeta = (apiVersion: string, kind: string) => len(1, len(1, apiVersion), len(2, kind));
const envelope = (apiVersion: string, kind: string, ...raw: Buffer[]) => Buffer.concat([Buffer.from('k8s\0', 'latin1'), typeMeta(apiVersion, kind), len(2, ...raw)]);
const decode = (body: Buffer) => decodeKubernetesProtobuf(body, upstreamDefinition);

function assertBadRequest(body: Buffer, message: RegExp): void {
  assert.throws(() => decode(body), (e: unknown) => e instanceof StatusError && e.code === 400 && message.test(e.message));
}

test('zero values: omitempty ones are dropped, pointer and plain ones are kept, absent fields stay absent', () => {
  // DeploymentSpec: replicas *int32 = 1, minReadySeconds int32 omitempty = 5, paused bool omitempty = 7.
  const body = envelope('apps/v1', 'Deployment', len(1, len(1, 'web'), len(2, '')), len(2, int(1, 0), int(5, 0), int(7, 0)));
  assert.deepEqual(decode(body), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 0 } });
  // ServicePort.port has no omitempty; ServiceSpec.ports = 1, ServicePort{name = 1, port = 3}.
  const svc = envelope('v1', 'Service', len(2, len(1, len(1, ''), int(3, 0))));
  assert.deepEqual(decode(svc), { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 0 }] } });
});

test('unknown fields are skipped whatever their wire type', () => {
  const body = envelope('v1', 'ConfigMap', int(99, 5), fixed(98, 1), fixed(97, 5), len(96, 'x'), len(2, len(1, 'k'), len(2, 'v')));
  assert.deepEqual(decode(body), { apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v' } });
});

test('repeated varints decode packed and one per tag; int32 and int64 keep their sign', () => {
  // Pod.spec = 2, PodSpec.securityContext = 14, PodSecurityContext.supplementalGroups = 4 ([]int64).
  const groups = Buffer.concat([int(4, 1), len(4, Buffer.from([...varint(2), ...varint(-3)])), int(4, 4)]);
  const pod = decode(envelope('v1', 'Pod', len(2, len(14, groups))));
  assert.deepEqual(pod, { apiVersion: 'v1', kind: 'Pod', spec: { securityContext: { supplementalGroups: [1, 2, -3, 4] } } });
  // PriorityClass.value = 2 (int32): a negative int32 travels as a ten-byte varint.
  assert.equal(decode(envelope('scheduling.k8s.io/v1', 'PriorityClass', int(2, -5))).value, -5);
});

test('times: whole seconds for Time, microseconds for MicroTime, null for the zero time', () => {
  const meta = len(1, len(8, int(1, 1700000000), int(2, 999)), len(9));
  const event = decode(envelope('events.k8s.io/v1', 'Event', meta, len(2, int(1, 1700000000), int(2, 123456789))));
  assert.deepEqual(event.metadata, { creationTimestamp: '2023-11-14T22:13:20Z', deletionTimestamp: null });
  assert.equal(event.eventTime, '2023-11-14T22:13:20.123456Z');
  assertBadRequest(envelope('v1', 'ConfigMap', len(1, len(8, int(1, 1e12)))), /outside the years/);
});

test('int-or-string, quantities and byte maps take their JSON forms', () => {
  // ServicePort.targetPort = 4: IntOrString{type = 1, intVal = 2, strVal = 3}.
  const ports = Buffer.concat([len(1, int(3, 80), len(4, int(1, 0), int(2, 8080))), len(1, int(3, 81), len(4, int(1, 1), len(3, 'http')))]);
  const svc = decode(envelope('v1', 'Service', len(2, ports))) as { spec: { ports: unknown[] } };
  assert.deepEqual(svc.spec.ports, [{ port: 80, targetPort: 8080 }, { port: 81, targetPort: 'http' }]);
  assertBadRequest(envelope('v1', 'Service', len(2, len(1, len(4, int(1, 7))))), /IntOrString of unknown type 7/);
  // ResourceQuotaSpec.hard = 1: map entries {key = 1, value = 2 (Quantity{string = 1})}; an entry without value is "0".
  const hard = Buffer.concat([len(1, len(1, 'cpu'), len(2, len(1, '500m'))), len(1, len(1, 'pods'))]);
  assert.deepEqual(decode(envelope('v1', 'ResourceQuota', len(2, hard))).spec, { hard: { cpu: '500m', pods: '0' } });
  // Secret.data = 2: bytes values are base64, as Go's encoder writes []byte.
  assert.deepEqual(decode(envelope('v1', 'Secret', len(2, len(1, 'k'), len(2, Buffer.from([0, 255]))))).data, { k: 'AP8=' });
});

test('raw JSON and list wrappers', () => {
  // ControllerRevision.data = 2: RawExtension{raw = 1} holding JSON.
  assert.deepEqual(decode(envelope('apps/v1', 'ControllerRevision', len(2, len(1, '{"a":[1]}')))).data, { a: [1] });
  assertBadRequest(envelope('apps/v1', 'ControllerRevision', len(2, len(1, 'k8s\0'))), /not JSON/);
  // TokenReview.status = 3, status.user = 2, UserInfo.extra = 4: map values are ExtraValue{items = 1}, bare arrays in JSON.
  const extra = len(4, len(1, 'scopes'), len(2, len(1, 'a'), len(1, 'b')));
  const review = decode(envelope('authentication.k8s.io/v1', 'TokenReview', len(3, len(2, extra))));
  assert.deepEqual(review.status, { user: { extra: { scopes: ['a', 'b'] } } });
});

test('inline embedded messages share their parent object', () => {
  // Container.livenessProbe = 10: Probe.handler = 1 (inline ProbeHandler), ProbeHandler.httpGet = 2, periodSeconds = 4.
  const probe = len(10, len(1, len(2, len(1, '/healthz'))), int(4, 5));
  // PodSpec.volumes = 1: Volume{name = 1, volumeSource = 2 (inline)}, VolumeSource.configMap = 19, its name inline at 1.1.
  const volume = len(1, len(1, 'cfg'), len(2, len(19, len(1, len(1, 'app-config')))));
  const pod = decode(envelope('v1', 'Pod', len(2, volume, len(2, len(1, 'c'), probe))));
  assert.deepEqual(pod.spec, {
    volumes: [{ name: 'cfg', configMap: { name: 'app-config' } }],
    containers: [{ name: 'c', livenessProbe: { httpGet: { path: '/healthz' }, periodSeconds: 5 } }],
  });
});

test('a message field seen twice merges, as protobuf decoders do', () => {
  const body = envelope('v1', 'ConfigMap', len(1, len(1, 'a')), len(1, len(3, 'ns')));
  assert.deepEqual(decode(body).metadata, { name: 'a', namespace: 'ns' });
});

test('malformed or unknown bodies are 400s that say what is wrong', () => {
  const good = envelope('v1', 'ConfigMap', len(1, len(1, 'a')));
  assertBadRequest(Buffer.from('{"kind":"ConfigMap"}'), /expected prefix \[107 56 115 0\]/);
  assertBadRequest(good.subarray(0, good.length - 2), /unexpected end of data/);
  assertBadRequest(envelope('v1', 'Frobnicator'), /no kind "Frobnicator" is registered for version "v1"/);
  assertBadRequest(envelope('', ''), /Object 'Kind' is missing/);
  assertBadRequest(Buffer.concat([good, len(3, 'gzip')]), /unsupported contentEncoding "gzip"/);
  assertBadRequest(Buffer.concat([good, len(4, 'application/json')]), /unsupported contentType "application\/json"/);
  assertBadRequest(envelope('v1', 'ConfigMap', int(1, 3)), /field io.k8s.api.core.v1.ConfigMap.metadata has wire type 0, expected 2/);
  assertBadRequest(envelope('v1', 'ConfigMap', Buffer.from([0x4b])), /unsupported wire type 3/);
  assertBadRequest(envelope('v1', 'ConfigMap', Buffer.from([0x48, ...Array(10).fill(0xff), 0x01])), /varint overflows/);
});

test('definitionFor decides which kinds are accepted', () => {
  const only = (_: string, kind: string) => (kind === 'ConfigMap' ? 'io.k8s.api.core.v1.ConfigMap' : undefined);
  assert.equal(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap'), only).kind, 'ConfigMap');
  assert.throws(() => decodeKubernetesProtobuf(envelope('v1', 'Secret'), only), /no kind "Secret"/);
  assert.throws(() => decodeKubernetesProtobuf(envelope('v1', 'Secret'), () => 'io.k8s.api.core.v1.Nope'), /no kind "Secret"/);
  assert.throws(() => decodeKubernetesProtobuf(envelope('v1', 'Time'), () => 'io.k8s.apimachinery.pkg.apis.meta.v1.Time'), /no kind "Time"/);
});
