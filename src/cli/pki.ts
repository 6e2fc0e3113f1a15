// The cluster's certificates: a CA, the API server's serving cert and the admin client cert, made once with openssl.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** PEM material the server and kubeconfig need. */
export interface Pki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
}

const FILES = ['ca.crt', 'ca.key', 'server.crt', 'server.key', 'admin.crt', 'admin.key'];

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as { code?: string; stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('openssl is needed to create the cluster certificates; install it (apt-get install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString().trim().split('\n')[0] ?? e}`);
  }
}

// EC P-256 keys: generated in milliseconds (RSA 2048 would add about a second to the first start).
function newKey(cwd: string, name: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name], cwd);
}

function signed(cwd: string, name: string, subject: string, ext: string): void {
  newKey(cwd, `${name}.key`);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], cwd);
  writeFileSync(join(cwd, `${name}.ext`), ext);
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '3650', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`],
    cwd,
  );
}

/** The service account token signing key (PEM) under `dir`, created on first use; kept apart so older data dirs gain one. */
export function ensureServiceAccountKey(dir: string): string {
  if (!existsSync(join(dir, 'sa.key'))) newKey(dir, 'sa.key');
  return readFileSync(join(dir, 'sa.key'), 'utf8');
}

/** Loads the PKI under `dir`, creating whatever is missing (all of it on first start). */
export function ensurePki(dir: string, extraSans: string[] = []): Pki {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!FILES.every((f) => existsSync(join(dir, f)))) {
    newKey(dir, 'ca.key');
    openssl(['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=tugboat-ca', '-days', '3650', '-sha256', '-out', 'ca.crt'], dir);
    const sans = [
      'DNS:localhost',
      'DNS:kubernetes',
      'DNS:kubernetes.default',
      'DNS:kubernetes.default.svc',
      'DNS:kubernetes.default.svc.cluster.local',
      `DNS:${hostname()}`,
      'IP:127.0.0.1',
      'IP:::1',
      'IP:10.96.0.1',
      ...extraSans,
    ];
    signed(dir, 'server', '/CN=kube-apiserver', `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans.join(',')}\n`);
    // O=system:masters is the group upstream's RBAC binds to cluster-admin.
    signed(dir, 'admin', '/O=system:masters/CN=tugboat-admin', 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  }
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    dir,
    caCert: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    adminCert: read('admin.crt'),
    adminKey: read('admin.key'),
  };
}
