// Decodes a Kubernetes protobuf request body (magic + runtime.Unknown) into the JSON object the JSON path would receive.
import { badRequest } from '../../machinery/errors';
import { decodeMessage, knowsMessage } from './message';
import { LEN, WireReader } from './wire';

/** The media type kubectl's typed clients send. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

// "k8s\0": upstream's prefix, so a protobuf body is never mistaken for another format.
const MAGIC = Buffer.from('k8s\0', 'latin1');

/** The definition name (io.k8s.api.core.v1.ConfigMap) of a kind, or undefined when it is not accepted here. */
export type DefinitionFor = (apiVersion: string, kind: string) => string | undefined;

/** The JSON object of a protobuf body, apiVersion and kind first; any malformed or unknown input is a 400. */
export function decodeKubernetesProtobuf(body: Buffer, definitionFor: DefinitionFor): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw badRequest('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const unknown = readUnknown(body.subarray(MAGIC.length));
  const { apiVersion, kind } = unknown;
  if (!kind) throw badRequest(`Object 'Kind' is missing in the protobuf body`);
  if (unknown.contentEncoding) throw badRequest(`protobuf: unsupported contentEncoding "${unknown.contentEncoding}"`);
  if (unknown.contentType && unknown.contentType !== PROTOBUF_MEDIA_TYPE) {
    throw badRequest(`protobuf: unsupported contentType "${unknown.contentType}" of the embedded object`);
  }
  const definition = definitionFor(apiVersion, kind);
  if (!definition || !knowsMessage(definition)) throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}"`);
  return decodeMessage(unknown.raw, definition, { apiVersion, kind });
}

interface Unknown {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

// runtime.Unknown {typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3, contentType = 4}.
function readUnknown(buf: Uint8Array): Unknown {
  const out: Unknown = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
  const r = new WireReader(buf);
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire !== LEN) {
      r.skip(wire);
    } else if (field === 1) {
      const t = new WireReader(r.bytes());
      while (!t.done) {
        const tm = t.tag();
        if (tm.wire === LEN && tm.field === 1) out.apiVersion = text(t.bytes());
        else if (tm.wire === LEN && tm.field === 2) out.kind = text(t.bytes());
        else t.skip(tm.wire);
      }
    } else if (field === 2) out.raw = r.bytes();
    else if (field === 3) out.contentEncoding = text(r.bytes());
    else if (field === 4) out.contentType = text(r.bytes());
    else r.skip(wire);
  }
  return out;
}
