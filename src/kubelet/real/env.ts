// A container's environment as upstream makeEnvironmentVariables builds it: envFrom, env with $(VAR) expansion and sources, service links.
import type { Container, Pod, Service, VolumeMount } from 'kubernetes-types/core/v1';
import type { KeyValue } from '../../cri/types';
import { podFieldSelectorValue, resourceFieldValue, type PodRuntimeFields } from './downward-api';
import type { ObjectLookup } from './object-lookup';

/** Expands $(VAR) references through `mapping`; $$ is a literal $, anything else is kept as written (upstream expansion.Expand). */
export function expand(input: string, mapping: (name: string) => string): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === '$') out += '$';
    else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close === -1) out += '$(';
      else {
        out += mapping(input.slice(cursor + 2, close));
        advance = close - cursor;
      }
    } else out += '$' + next;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** A mapping that looks names up in each map in turn and leaves unknown references as $(NAME) (upstream MappingFuncFor). */
export function mappingFuncFor(...maps: ReadonlyMap<string, string>[]): (name: string) => string {
  return (name) => {
    for (const m of maps) if (m.has(name)) return m.get(name)!;
    return `$(${name})`;
  };
}

const envMap = (envs: readonly KeyValue[]) => new Map(envs.map((e) => [e.key, e.value]));

/** The container's command and args with $(VAR) expanded from its resolved environment (upstream ExpandContainerCommandAndArgs). */
export function expandContainerCommandAndArgs(container: Container, envs: readonly KeyValue[]): { command: string[]; args: string[] } {
  const mapping = mappingFuncFor(envMap(envs));
  return { command: (container.command ?? []).map((s) => expand(s, mapping)), args: (container.args ?? []).map((s) => expand(s, mapping)) };
}

/** A volumeMount's subPathExpr expanded from the environment; throws "missing value for A, B" when a variable is unset or empty. */
export function expandSubPathExpr(mount: VolumeMount, envs: readonly KeyValue[]): string {
  const env = envMap(envs);
  const missing = new Set<string>();
  const out = expand(mount.subPathExpr ?? '', (k) => {
    const v = env.get(k);
    if (!v) missing.add(k);
    return v ?? '';
  });
  if (missing.size) throw new Error(`missing value for ${[...missing].sort().join(', ')}`);
  return out;
}

// Service names become variable prefixes: upper case, dashes as underscores (upstream makeEnvVariableName).
const envName = (s: string) => s.toUpperCase().replace(/-/g, '_');
const isServiceIPSet = (s: Service) => !!s.spec?.clusterIP && s.spec.clusterIP !== 'None';
const joinHostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** The Docker-link style variables of services (upstream envvars.FromServices): FOO_SERVICE_HOST, FOO_SERVICE_PORT[_NAME], FOO_PORT_80_TCP… */
export function serviceEnvVars(services: readonly Service[]): KeyValue[] {
  const out: KeyValue[] = [];
  for (const svc of services) {
    if (!isServiceIPSet(svc) || !svc.spec?.ports?.length) continue;
    const ip = svc.spec.clusterIP!;
    const prefix = envName(svc.metadata?.name ?? '');
    out.push({ key: `${prefix}_SERVICE_HOST`, value: ip });
    out.push({ key: `${prefix}_SERVICE_PORT`, value: String(svc.spec.ports[0].port) });
    for (const p of svc.spec.ports) if (p.name) out.push({ key: `${prefix}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
    svc.spec.ports.forEach((p, i) => {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      const url = `${proto}://${joinHostPort(ip, p.port)}`;
      if (i === 0) out.push({ key: `${prefix}_PORT`, value: url });
      const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
      out.push({ key: pp, value: url }, { key: `${pp}_PROTO`, value: proto }, { key: `${pp}_PORT`, value: String(p.port) }, { key: `${pp}_ADDR`, value: ip });
    });
  }
  return out;
}

/** The service variables a pod in `namespace` sees: default/kubernetes always, its namespace's services with enableServiceLinks (upstream getServiceEnvVarMap). */
export function serviceEnvMap(namespace: string, enableServiceLinks: boolean, services: readonly Service[]): Map<string, string> {
  const byName = new Map<string, Service>();
  for (const s of services) {
    if (!isServiceIPSet(s)) continue;
    const name = s.metadata?.name ?? '';
    if (s.metadata?.namespace === 'default' && name === 'kubernetes') {
      if (!byName.has(name)) byName.set(name, s);
    } else if (s.metadata?.namespace === namespace && enableServiceLinks) byName.set(name, s);
  }
  return envMap(serviceEnvVars([...byName.values()]));
}

/** What the environment needs beside the pod and container. */
export interface EnvOptions extends PodRuntimeFields {
  /** The node's allocatable resources: limits a container leaves unset read as these. */
  nodeAllocatable: Readonly<Record<string, string>>;
  /** Every Service the kubelet knows (all namespaces); filtered here as upstream. */
  services?: readonly Service[];
}

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

/**
 * The container's environment in declaration order: envFrom (with prefix), then env overriding it, then service variables not already set.
 * Rejects with upstream's message (e.g. `couldn't find key k in ConfigMap ns/name`, `configmap "name" not found`); the kubelet shows it as CreateContainerConfigError.
 */
export async function resolveEnv(pod: Pod, container: Container, lookup: Pick<ObjectLookup, 'getConfigMap' | 'getSecret'>, opts: EnvOptions): Promise<KeyValue[]> {
  const ns = pod.metadata?.namespace ?? '';
  const serviceEnv = serviceEnvMap(ns, pod.spec?.enableServiceLinks !== false, opts.services ?? []);
  // Each object is read once per container, as upstream's per-call maps do.
  const configMaps = new Map<string, Promise<Record<string, string> | undefined>>();
  const secrets = new Map<string, Promise<Record<string, string> | undefined>>();
  const configMapData = (name: string) => {
    if (!configMaps.has(name)) configMaps.set(name, lookup.getConfigMap(ns, name).then((cm) => (cm ? { ...(cm.data ?? {}) } : undefined)));
    return configMaps.get(name)!;
  };
  const secretData = (name: string) => {
    if (!secrets.has(name)) {
      secrets.set(name, lookup.getSecret(ns, name).then((s) => (s ? Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, decode(v)])) : undefined)));
    }
    return secrets.get(name)!;
  };
  const tmpEnv = new Map<string, string>();

  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const isCM = !!from.configMapRef;
    const data = await (isCM ? configMapData(ref.name ?? '') : secretData(ref.name ?? ''));
    if (!data) {
      if (ref.optional) continue;
      throw new Error(`${isCM ? 'configmap' : 'secret'} "${ref.name}" not found`);
    }
    for (const k of Object.keys(data).sort()) tmpEnv.set((from.prefix ?? '') + k, data[k]);
  }

  const mapping = mappingFuncFor(tmpEnv, serviceEnv);
  for (const e of container.env ?? []) {
    let value = e.value ?? '';
    if (value !== '') value = expand(value, mapping);
    else if (e.valueFrom) {
      const src = e.valueFrom;
      if (src.fieldRef) value = podFieldSelectorValue(src.fieldRef, pod, opts);
      else if (src.resourceFieldRef) value = resourceFieldValue(src.resourceFieldRef, pod, container, opts.nodeAllocatable);
      else if (src.configMapKeyRef || src.secretKeyRef) {
        const ref = (src.configMapKeyRef ?? src.secretKeyRef)!;
        const isCM = !!src.configMapKeyRef;
        const data = await (isCM ? configMapData(ref.name ?? '') : secretData(ref.name ?? ''));
        if (!data) {
          if (ref.optional) continue;
          throw new Error(`${isCM ? 'configmap' : 'secret'} "${ref.name}" not found`);
        }
        if (!(ref.key in data)) {
          if (ref.optional) continue;
          throw new Error(`couldn't find key ${ref.key} in ${isCM ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}`);
        }
        value = data[ref.key];
      }
    }
    tmpEnv.set(e.name, value);
  }

  const result: KeyValue[] = [...tmpEnv].map(([key, value]) => ({ key, value }));
  for (const [key, value] of serviceEnv) if (!tmpEnv.has(key)) result.push({ key, value });
  return result;
}
