// Upstream ValidatePodSpec / ValidatePodTemplateSpec: containers, ports, env, probes, resources, volumes, mounts, policies.
import type {
  Container,
  EnvFromSource,
  EnvVar,
  KeyToPath,
  LifecycleHandler,
  PodSpec,
  PodTemplateSpec,
  Probe,
  Toleration,
  Volume,
  VolumeMount,
} from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../../machinery/errors';
import {
  inclusiveRangeError,
  invalidEach,
  isCIdentifier,
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isHTTPHeaderName,
  isRelaxedEnvVarName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  validateAnnotations,
  validateLabelName,
  validateLabels,
  validateNonnegative,
} from '../../machinery/validation';
import { validateResourceRequirements } from './resources';

const MAX_INT32 = 2147483647;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** An int-or-string port: 1..65535 or an IANA service name (upstream ValidatePortNumOrName). */
export function validatePortNumOrName(port: number | string | undefined, path: string): FieldError[] {
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port));
  return invalidEach(path, port ?? 0, isValidPortNum(port ?? 0));
}

/** A DNS-1123 label, one Invalid error per message. */
export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return invalidEach(path, value, isDNS1123Label(value));
}

function validateContainerPorts(ports: Container['ports'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((p, i) => {
    const ip = `${path}[${i}]`;
    if (p.name) {
      const msgs = isValidPortName(p.name);
      if (msgs.length) errs.push(...invalidEach(`${ip}.name`, p.name, msgs));
      else if (names.has(p.name)) errs.push(field.duplicate(`${ip}.name`, p.name));
      else names.add(p.name);
    }
    if (!p.containerPort) errs.push(field.required(`${ip}.containerPort`));
    else errs.push(...invalidEach(`${ip}.containerPort`, p.containerPort, isValidPortNum(p.containerPort)));
    if (p.hostPort) errs.push(...invalidEach(`${ip}.hostPort`, p.hostPort, isValidPortNum(p.hostPort)));
    if (!p.protocol) errs.push(field.required(`${ip}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${ip}.protocol`, p.protocol, PROTOCOLS));
  });
  return errs;
}

const DOWNWARD_ENV_FIELDS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

function validateFieldRef(ref: { apiVersion?: string; fieldPath: string }, valid: string[], path: string): FieldError[] {
  if (!ref.apiVersion) return [field.required(`${path}.apiVersion`)];
  if (!ref.fieldPath) return [field.required(`${path}.fieldPath`)];
  // metadata.labels['key'] and metadata.annotations['key'] select one entry.
  const subscript = /^(metadata\.(?:labels|annotations))\['(.+)'\]$/.exec(ref.fieldPath);
  if (subscript) return subscript[1] === 'metadata.labels' ? validateLabelName(subscript[2], `${path}.fieldPath`) : [];
  if (!valid.includes(ref.fieldPath)) return [field.notSupported(`${path}.fieldPath`, ref.fieldPath, valid)];
  return [];
}

function validateKeySelector(sel: { name?: string; key: string }, path: string): FieldError[] {
  const errs = sel.name ? invalidEach(`${path}.name`, sel.name, isDNS1123Subdomain(sel.name)) : [];
  if (!sel.key) errs.push(field.required(`${path}.key`));
  else errs.push(...invalidEach(`${path}.key`, sel.key, isConfigMapKey(sel.key)));
  return errs;
}

function validateEnv(env: EnvVar[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (env ?? []).forEach((ev, i) => {
    const ip = `${path}[${i}]`;
    if (!ev.name) errs.push(field.required(`${ip}.name`));
    errs.push(...invalidEach(`${ip}.name`, ev.name ?? '', isRelaxedEnvVarName(ev.name ?? '')));
    const from = ev.valueFrom;
    if (!from) return;
    const fp = `${ip}.valueFrom`;
    let sources = 0;
    if (from.fieldRef) {
      sources++;
      errs.push(...validateFieldRef(from.fieldRef, DOWNWARD_ENV_FIELDS, `${fp}.fieldRef`));
    }
    if (from.resourceFieldRef) {
      sources++;
      if (!from.resourceFieldRef.resource) errs.push(field.required(`${fp}.resourceFieldRef.resource`));
    }
    if (from.configMapKeyRef) {
      sources++;
      errs.push(...validateKeySelector(from.configMapKeyRef, `${fp}.configMapKeyRef`));
    }
    if (from.secretKeyRef) {
      sources++;
      errs.push(...validateKeySelector(from.secretKeyRef, `${fp}.secretKeyRef`));
    }
    if (sources === 0) errs.push(field.invalid(fp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) errs.push(field.invalid(fp, '', 'may not be specified when `value` is not empty'));
    else if (sources > 1) errs.push(field.invalid(fp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: EnvFromSource[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (envFrom ?? []).forEach((ev, i) => {
    const ip = `${path}[${i}]`;
    if (ev.prefix) errs.push(...invalidEach(`${ip}.prefix`, ev.prefix, isCIdentifier(ev.prefix)));
    let sources = 0;
    if (ev.configMapRef) {
      sources++;
      if (ev.configMapRef.name) errs.push(...invalidEach(`${ip}.configMapRef.name`, ev.configMapRef.name, isDNS1123Subdomain(ev.configMapRef.name)));
    }
    if (ev.secretRef) {
      sources++;
      if (ev.secretRef.name) errs.push(...invalidEach(`${ip}.secretRef.name`, ev.secretRef.name, isDNS1123Subdomain(ev.secretRef.name)));
    }
    if (sources === 0) errs.push(field.invalid(ip, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(field.invalid(ip, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(mounts: VolumeMount[] | undefined, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const points = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const ip = `${path}[${i}]`;
    if (!m.name) errs.push(field.required(`${ip}.name`));
    if (!volumes.has(m.name)) errs.push(field.notFound(`${ip}.name`, m.name ?? ''));
    if (!m.mountPath) errs.push(field.required(`${ip}.mountPath`));
    if (points.has(m.mountPath)) errs.push(field.invalid(`${ip}.mountPath`, m.mountPath, 'must be unique'));
    points.add(m.mountPath);
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, `${path}.subPath`));
    if (m.mountPropagation && !['None', 'HostToContainer', 'Bidirectional'].includes(m.mountPropagation))
      errs.push(field.notSupported(`${ip}.mountPropagation`, m.mountPropagation, ['Bidirectional', 'HostToContainer', 'None']));
  });
  return errs;
}

function validateLocalDescendingPath(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(field.invalid(path, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(field.invalid(path, p, "must not contain '..'"));
  return errs;
}

function validateHandler(h: LifecycleHandler | Probe, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let handlers = 0;
  const one = (name: string, check: () => FieldError[]) => {
    if (handlers > 0) errs.push(field.forbidden(`${path}.${name}`, 'may not specify more than 1 handler type'));
    else {
      handlers++;
      errs.push(...check());
    }
  };
  if (h.exec) one('exec', () => (h.exec!.command?.length ? [] : [field.required(`${path}.exec.command`)]));
  if (h.httpGet)
    one('httpGet', () => {
      const g = h.httpGet!;
      const e: FieldError[] = [];
      if (!g.path) e.push(field.required(`${path}.httpGet.path`));
      e.push(...validatePortNumOrName(g.port, `${path}.httpGet.port`));
      if (!['HTTP', 'HTTPS'].includes(g.scheme ?? '')) e.push(field.notSupported(`${path}.httpGet.scheme`, g.scheme ?? '', ['HTTP', 'HTTPS']));
      for (const hd of g.httpHeaders ?? []) e.push(...invalidEach(`${path}.httpGet.httpHeaders`, hd.name, isHTTPHeaderName(hd.name)));
      return e;
    });
  if (h.tcpSocket) one('tcpSocket', () => validatePortNumOrName(h.tcpSocket!.port, `${path}.tcpSocket.port`));
  if ('grpc' in h && h.grpc) one('grpc', () => invalidEach(`${path}.grpc.port`, h.grpc!.port, isValidPortNum(h.grpc!.port)));
  if ('sleep' in h && h.sleep) one('sleep', () => validateNonnegative(h.sleep!.seconds, `${path}.sleep.seconds`));
  if (handlers === 0) errs.push(field.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: Probe, path: string): FieldError[] {
  const errs = validateHandler(probe, path);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const)
    errs.push(...validateNonnegative(probe[k], `${path}.${k}`));
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0)
    errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  return errs;
}

function validateProbes(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const probe = c[kind];
    if (!probe) continue;
    const p = `${path}.${kind}`;
    errs.push(...validateProbe(probe, p));
    if (kind !== 'readinessProbe' && probe.successThreshold !== 1) errs.push(field.invalid(`${p}.successThreshold`, probe.successThreshold, 'must be 1'));
    if (kind === 'readinessProbe' && probe.terminationGracePeriodSeconds !== undefined)
      errs.push(field.invalid(`${p}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errs;
}

function validateContainerCommon(c: Container, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(field.required(`${path}.name`));
  else errs.push(...validateDNS1123Label(c.name, `${path}.name`));
  if (!c.image) errs.push(field.required(`${path}.image`));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(field.required(`${path}.terminationMessagePolicy`));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError')
    errs.push(field.notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, `${path}.volumeMounts`));
  const pull = c.imagePullPolicy;
  if (!pull) errs.push(field.required(`${path}.imagePullPolicy`));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pull))
    errs.push(field.notSupported(`${path}.imagePullPolicy`, pull, ['Always', 'IfNotPresent', 'Never']));
  errs.push(...validateResourceRequirements(c.resources as Parameters<typeof validateResourceRequirements>[0], `${path}.resources`));
  return errs;
}

function validateContainers(containers: Container[] | undefined, volumes: Set<string>, path: string): FieldError[] {
  if (!containers?.length) return [field.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, p));
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else names.add(c.name);
    if (c.lifecycle?.postStart) errs.push(...validateHandler(c.lifecycle.postStart, `${p}.lifecycle.postStart`));
    if (c.lifecycle?.preStop) errs.push(...validateHandler(c.lifecycle.preStop, `${p}.lifecycle.preStop`));
    errs.push(...validateProbes(c, p));
    if (c.restartPolicy) errs.push(field.forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  return errs;
}

function validateInitContainers(inits: Container[] | undefined, containers: Container[] | undefined, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((containers ?? []).map((c) => c.name));
  (inits ?? []).forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, p));
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    else names.add(c.name);
    const sidecar = c.restartPolicy === 'Always';
    if (c.restartPolicy && !sidecar) errs.push(field.notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
    if (!sidecar) {
      if (c.lifecycle) errs.push(field.forbidden(`${p}.lifecycle`, 'may not be set for init containers without restartPolicy=Always'));
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const)
        if (c[probe]) errs.push(field.forbidden(`${p}.${probe}`, 'may not be set for init containers without restartPolicy=Always'));
    } else errs.push(...validateProbes(c, p));
  });
  return errs;
}

// Every host port (per IP and protocol) may be claimed once across a pod's containers.
function validateHostPorts(containers: Container[] | undefined, path: string, seen: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  (containers ?? []).forEach((c, ci) =>
    (c.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return;
      const key = `${p.hostIP ?? ''}/${p.protocol ?? ''}/${p.hostPort}`;
      if (seen.has(key)) errs.push(field.duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      seen.add(key);
    }),
  );
  return errs;
}

// The order upstream checks volume sources in; the first one set wins, later ones are forbidden.
const VOLUME_SOURCES = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
] as const;

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

function validateItems(items: KeyToPath[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((it, i) => {
    const ip = `${path}[${i}]`;
    if (!it.key) errs.push(field.required(`${ip}.key`));
    if (!it.path) errs.push(field.required(`${ip}.path`));
    else errs.push(...validateLocalDescendingPath(it.path, `${ip}.path`));
    if (it.mode !== undefined && (it.mode < 0 || it.mode > 0o777))
      errs.push(field.invalid(`${ip}.mode`, it.mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
  });
  return errs;
}

function validateVolumeSource(v: Volume, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const src of VOLUME_SOURCES) {
    if (v[src as keyof Volume] === undefined) continue;
    if (count > 0) {
      errs.push(field.forbidden(`${path}.${src}`, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    const p = `${path}.${src}`;
    switch (src) {
      case 'hostPath':
        if (!v.hostPath!.path) errs.push(field.required(`${p}.path`));
        else if (v.hostPath!.path.split('/').includes('..')) errs.push(field.invalid(`${p}.path`, v.hostPath!.path, "must not contain '..'"));
        if (!HOST_PATH_TYPES.includes(v.hostPath!.type ?? '')) errs.push(field.notSupported(`${p}.type`, v.hostPath!.type, HOST_PATH_TYPES));
        break;
      case 'secret':
        if (!v.secret!.secretName) errs.push(field.required(`${p}.secretName`));
        errs.push(...validateItems(v.secret!.items, `${p}.items`));
        break;
      case 'configMap':
        if (!v.configMap!.name) errs.push(field.required(`${p}.name`));
        errs.push(...validateItems(v.configMap!.items, `${p}.items`));
        break;
      case 'persistentVolumeClaim':
        if (!v.persistentVolumeClaim!.claimName) errs.push(field.required(`${p}.claimName`));
        break;
      case 'nfs':
        if (!v.nfs!.server) errs.push(field.required(`${p}.server`));
        if (!v.nfs!.path) errs.push(field.required(`${p}.path`));
        else if (!v.nfs!.path.startsWith('/')) errs.push(field.invalid(`${p}.path`, v.nfs!.path, 'must be an absolute path'));
        break;
      case 'csi':
        if (!v.csi!.driver) errs.push(field.required(`${p}.driver`));
        break;
      case 'downwardAPI':
        (v.downwardAPI!.items ?? []).forEach((it, i) => {
          if (!it.path) errs.push(field.required(`${p}.items[${i}].path`));
          else errs.push(...validateLocalDescendingPath(it.path, `${p}.items[${i}].path`));
        });
        break;
    }
  }
  if (count === 0) errs.push(field.required(path, 'must specify a volume type'));
  return errs;
}

/** Volumes: names (DNS label, unique) and exactly one source each; returns the valid names for mount checks. */
export function validateVolumes(volumes: Volume[] | undefined, path: string): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  (volumes ?? []).forEach((v, i) => {
    const p = `${path}[${i}]`;
    const el = validateVolumeSource(v, p);
    if (!v.name) el.push(field.required(`${p}.name`));
    else el.push(...validateDNS1123Label(v.name, `${p}.name`));
    if (names.has(v.name)) el.push(field.duplicate(`${p}.name`, v.name));
    if (el.length === 0) names.add(v.name);
    else errs.push(...el);
  });
  return { names, errs };
}

/** Taint effects in upstream's listing order. */
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Tolerations: key, operator/value pairing and effects (upstream ValidateTolerations). */
export function validateTolerations(tolerations: Toleration[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (t.key) errs.push(...validateLabelName(t.key, `${p}.key`));
    if (!t.key && t.operator !== 'Exists')
      errs.push(field.invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute')
      errs.push(field.invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    switch (t.operator ?? '') {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(t.value ?? '');
        if (msgs.length) errs.push(field.invalid(`${p}.operator`, t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) errs.push(field.invalid(`${p}.operator`, t, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(field.notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(field.notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
  });
  return errs;
}

/** upstream ValidatePodSpec, with paths under `path` (e.g. "spec" or "spec.template.spec"). */
export function validatePodSpec(spec: PodSpec | undefined, path: string): FieldError[] {
  const s = spec ?? ({ containers: [] } as PodSpec);
  const { names: volumes, errs } = validateVolumes(s.volumes, `${path}.volumes`);
  errs.push(...validateContainers(s.containers, volumes, `${path}.containers`));
  errs.push(...validateInitContainers(s.initContainers, s.containers, volumes, `${path}.initContainers`));
  const hostPorts = new Set<string>();
  errs.push(...validateHostPorts(s.containers, `${path}.containers`, hostPorts));
  errs.push(...validateHostPorts(s.initContainers, `${path}.initContainers`, hostPorts));
  if (!s.restartPolicy) errs.push(field.required(`${path}.restartPolicy`));
  else if (!['Always', 'OnFailure', 'Never'].includes(s.restartPolicy))
    errs.push(field.notSupported(`${path}.restartPolicy`, s.restartPolicy, ['Always', 'OnFailure', 'Never']));
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (!s.dnsPolicy) errs.push(field.required(`${path}.dnsPolicy`));
  else if (!dnsPolicies.includes(s.dnsPolicy)) errs.push(field.notSupported(`${path}.dnsPolicy`, s.dnsPolicy, dnsPolicies));
  errs.push(...validateLabels(s.nodeSelector, `${path}.nodeSelector`));
  if (s.dnsPolicy === 'None') {
    if (!s.dnsConfig) errs.push(field.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else if (!s.dnsConfig.nameservers?.length)
      errs.push(field.required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (s.dnsConfig?.nameservers && s.dnsConfig.nameservers.length > 3)
    errs.push(field.invalid(`${path}.dnsConfig.nameservers`, s.dnsConfig.nameservers, 'must not have more than 3 nameservers'));
  if (s.serviceAccountName) errs.push(...invalidEach(`${path}.serviceAccountName`, s.serviceAccountName, isDNS1123Subdomain(s.serviceAccountName)));
  if (s.nodeName) errs.push(...invalidEach(`${path}.nodeName`, s.nodeName, isDNS1123Subdomain(s.nodeName)));
  if (s.activeDeadlineSeconds !== undefined && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > MAX_INT32))
    errs.push(field.invalid(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32)));
  if (s.hostname) errs.push(...validateDNS1123Label(s.hostname, `${path}.hostname`));
  if (s.subdomain) errs.push(...validateDNS1123Label(s.subdomain, `${path}.subdomain`));
  errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  if (s.priorityClassName) errs.push(...invalidEach(`${path}.priorityClassName`, s.priorityClassName, isDNS1123Subdomain(s.priorityClassName)));
  if (s.preemptionPolicy && !['PreemptLowerPriority', 'Never'].includes(s.preemptionPolicy))
    errs.push(field.notSupported(`${path}.preemptionPolicy`, s.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  return errs;
}

/** upstream ValidatePodTemplateSpec; note upstream reports template labels at `<path>.labels`. */
export function validatePodTemplateSpec(tpl: PodTemplateSpec | undefined, path: string): FieldError[] {
  const errs = validateLabels(tpl?.metadata?.labels, `${path}.labels`);
  errs.push(...validateAnnotations(tpl?.metadata?.annotations, `${path}.annotations`));
  errs.push(...validatePodSpec(tpl?.spec, `${path}.spec`));
  if (tpl?.spec?.ephemeralContainers?.length) errs.push(field.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errs;
}
