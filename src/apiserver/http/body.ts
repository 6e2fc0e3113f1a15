// Reads and decodes request bodies: a size limit, JSON or YAML, and errors worded as upstream's.
import type { IncomingMessage } from 'node:http';
import YAML from 'yaml';
import { decodeKubernetesProtobuf, PROTOBUF_MEDIA_TYPE } from '../../api/protobuf/decode';
import { upstreamDefinition } from '../../api/protobuf/upstream-definition';
import { badRequest, tooLarge, unsupportedMediaType } from '../../machinery/errors';

/** Upstream's limit on a request body (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Reads the whole body; a body over the limit is a 413 and is not read further. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(tooLarge('the request body is too large'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge('the request body is too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The media type of a Content-Type header, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** Decodes a JSON or YAML body into a value; malformed input is a 400 naming the problem. */
export function decodeBody(buf: Buffer, contentType: string | undefined): unknown {
  const mt = mediaType(contentType);
  // kubectl's typed commands (create configmap, create deployment, autoscale…) send protobuf.
  if (mt === PROTOBUF_MEDIA_TYPE) return decodeKubernetesProtobuf(buf, upstreamDefinition);
  const text = buf.toString('utf8');
  if (!text.trim()) throw badRequest('Object \'Kind\' is missing in \'\'');
  if (mt === 'application/yaml' || mt === 'application/apply-patch+yaml') {
    try {
      return YAML.parse(text, { uniqueKeys: true });
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (mt === '' || mt.endsWith('json') || mt.endsWith('+json')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
    }
  }
  throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
}
