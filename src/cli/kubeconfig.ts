// Writes the cluster's kubeconfig and merges a `tugboat` context into the user's own kubeconfig.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { writeFileAtomic } from '../util/atomic-file';
import type { Pki } from './pki';

const b64 = (s: string) => Buffer.from(s).toString('base64');

interface Named<T> {
  name: string;
  [k: string]: T | string;
}

interface KubeConfig {
  apiVersion: string;
  kind: string;
  clusters: Named<unknown>[];
  users: Named<unknown>[];
  contexts: Named<unknown>[];
  'current-context'?: string;
  preferences?: object;
}

/** The kubeconfig for this cluster, with one context named `name`. */
export function buildKubeconfig(server: string, pki: Pki, name = 'tugboat'): KubeConfig {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': b64(pki.caCert) } }],
    users: [{ name, user: { 'client-certificate-data': b64(pki.adminCert), 'client-key-data': b64(pki.adminKey) } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  };
}

/** Writes `cfg` to `path`. */
export function writeKubeconfig(path: string, cfg: KubeConfig): void {
  writeFileAtomic(path, YAML.stringify(cfg), 0o600);
}

/** The kubeconfig kubectl reads by default: the first path of $KUBECONFIG, else ~/.kube/config. */
export function defaultKubeconfigPath(): string {
  const env = process.env.KUBECONFIG?.split(':').find(Boolean);
  return env ?? join(homedir(), '.kube', 'config');
}

/** Replaces (or adds) the entries of `cfg` in the kubeconfig at `path` and makes its context current. */
export function mergeKubeconfig(path: string, cfg: KubeConfig): void {
  let existing: Partial<KubeConfig> = {};
  if (existsSync(path)) {
    const parsed = YAML.parse(readFileSync(path, 'utf8'));
    if (parsed && typeof parsed === 'object') existing = parsed;
  }
  const mergeList = (old: Named<unknown>[] | undefined, add: Named<unknown>[]) => [
    ...(old ?? []).filter((e) => !add.some((a) => a.name === e.name)),
    ...add,
  ];
  const merged: KubeConfig = {
    ...existing,
    apiVersion: 'v1',
    kind: 'Config',
    clusters: mergeList(existing.clusters, cfg.clusters),
    users: mergeList(existing.users, cfg.users),
    contexts: mergeList(existing.contexts, cfg.contexts),
    'current-context': cfg['current-context'],
  };
  writeFileAtomic(path, YAML.stringify(merged), 0o600);
}
