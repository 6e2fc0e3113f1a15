// Raw HTTPS requests to a test cluster with the admin client certificate, for checks kubectl cannot make.
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCluster } from './cluster';

/** A response with its parsed JSON body when it has one. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Sends one request as the cluster admin (or anonymously with `anonymous: true`). */
export function raw(
  c: TestCluster,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
  anonymous = false,
): Promise<RawResponse> {
  const pki = join(c.dataDir, 'pki');
  const url = new URL(path, c.server);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: readFileSync(join(pki, 'ca.crt')),
        ...(anonymous ? {} : { cert: readFileSync(join(pki, 'admin.crt')), key: readFileSync(join(pki, 'admin.key')) }),
        headers: { 'Content-Type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
