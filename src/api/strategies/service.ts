// Service strategy: core/v1 defaults incl. IP-family fields, update-time patching of allocated values, upstream validation, table and field selectors.
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../../machinery/errors';
import {
  invalidEach,
  invalidRendered,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortNum,
  nameIsDNS1035Label,
  semanticEqual,
  validateIP,
  validateLabels,
  validateObjectMetaFormat,
} from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { goIntOrString, goQuote, goStringSlice } from './go-format';
import { ipFamily, validateNonSpecialIP } from './ip';
import { validateDNS1123Label, validatePortNumOrName } from './pod-validation';
import { AGE, age, col, formatLabels, loadBalancerString } from './table-helpers';

type Spec = NonNullable<Service['spec']>;

const isHeadless = (s: Spec) => s.clusterIP === 'None' || s.clusterIPs?.[0] === 'None';
const needsClusterIP = (s: Spec) => s.type !== 'ExternalName';
const needsNodePort = (s: Spec) => s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
const needsHealthCheck = (s: Spec) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';

/** upstream ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with external IPs. */
export const externallyAccessible = (s: Spec) =>
  s.type === 'LoadBalancer' || s.type === 'NodePort' || (s.type === 'ClusterIP' && (s.externalIPs?.length ?? 0) > 0);

/** SetDefaults_Service plus the IP-family and clusterIPs normalization upstream does when it admits a service. */
export function defaultService(obj: KObject): void {
  const spec = (obj.spec ??= {}) as Spec;
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined)
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  spec.type ||= 'ClusterIP';
  for (const p of spec.ports ?? []) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') {
    spec.allocateLoadBalancerNodePorts ??= true;
    for (const ing of obj.status?.loadBalancer?.ingress ?? []) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  if (spec.type !== 'ExternalName') {
    // Headless services without a selector take every cluster family; this cluster is single-stack IPv4.
    if (isHeadless(spec) && !spec.selector) spec.ipFamilyPolicy ??= 'RequireDualStack';
    else spec.ipFamilyPolicy ??= 'SingleStack';
    if (!spec.ipFamilies?.length) {
      const ips = (spec.clusterIPs ?? []).filter((ip) => ip !== 'None');
      spec.ipFamilies = ips.length ? ips.map((ip) => (ipFamily(ip) === 6 ? 'IPv6' : 'IPv4')) : ['IPv4'];
    }
  }
}

const sameList = (a: unknown[] | undefined, b: unknown[] | undefined) => semanticEqual(a ?? [], b ?? []);

/**
 * Upstream's update preparation: keep allocated clusterIPs, nodePorts and healthCheckNodePort the client left out
 * (patchAllocatedValues), sync clusterIP/clusterIPs (NormalizeClusterIPs), and wipe fields a type change made moot.
 */
export function prepareServiceUpdate(obj: KObject, old: KObject): void {
  const spec = (obj.spec ??= {}) as Spec;
  const prev = (old.spec ?? {}) as Spec;
  if (needsClusterIP(prev) && needsClusterIP(spec)) {
    if (!spec.clusterIP) spec.clusterIP = prev.clusterIP;
    if (!spec.clusterIPs?.length && prev.clusterIPs?.length) spec.clusterIPs = prev.clusterIPs;
  }
  if (needsNodePort(prev) && needsNodePort(spec)) {
    const used = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((n) => n && (prev.ports ?? []).some((o) => o.nodePort === n)));
    const byName = new Map((prev.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of spec.ports ?? []) {
      const oldVal = byName.get(p.name ?? '');
      if (!p.nodePort && oldVal && !used.has(oldVal)) p.nodePort = oldVal;
    }
  }
  if (needsHealthCheck(prev) && needsHealthCheck(spec) && !spec.healthCheckNodePort) spec.healthCheckNodePort = prev.healthCheckNodePort;
  if (prev.clusterIP !== spec.clusterIP) {
    if (prev.clusterIP && !spec.clusterIP) {
      if (sameList(prev.clusterIPs, spec.clusterIPs)) delete spec.clusterIPs;
    } else if (sameList(prev.clusterIPs, spec.clusterIPs)) spec.clusterIPs = [spec.clusterIP!];
  }
  if (needsClusterIP(prev) && !needsClusterIP(spec)) {
    if (sameList(prev.clusterIPs, spec.clusterIPs) && prev.clusterIP === spec.clusterIP) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(prev.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if (prev.ipFamilyPolicy === spec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  const nodePorts = (s: Spec) => (s.ports ?? []).map((p) => p.nodePort ?? 0);
  if (needsNodePort(prev) && !needsNodePort(spec) && sameList(nodePorts(prev), nodePorts(spec))) for (const p of spec.ports ?? []) delete p.nodePort;
  if (needsHealthCheck(prev) && !needsHealthCheck(spec) && prev.healthCheckNodePort === spec.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (prev.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts === prev.allocateLoadBalancerNodePorts)
      delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass !== undefined && spec.loadBalancerClass === prev.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(prev) && !externallyAccessible(spec) && prev.externalTrafficPolicy === spec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
}

// Go's %#v of the (protocol, port) key upstream reports duplicate ports with.
function goServicePortKey(p: ServicePort): string {
  return `core.ServicePort{Name:"", Protocol:${goQuote(p.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${p.port}, TargetPort:${goIntOrString(0)}, NodePort:0}`;
}

function validateServicePort(p: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(field.required(`${path}.name`));
  else if (p.name) {
    errs.push(...validateDNS1123Label(p.name, `${path}.name`));
    if (names.has(p.name)) errs.push(field.duplicate(`${path}.name`, p.name));
    else names.add(p.name);
  }
  errs.push(...invalidEach(`${path}.port`, p.port ?? 0, isValidPortNum(p.port ?? 0)));
  if (!p.protocol) errs.push(field.required(`${path}.protocol`));
  else if (!['SCTP', 'TCP', 'UDP'].includes(p.protocol)) errs.push(field.notSupported(`${path}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
  errs.push(...validatePortNumOrName(p.targetPort, `${path}.targetPort`));
  if (p.appProtocol !== undefined) errs.push(...invalidEach(`${path}.appProtocol`, p.appProtocol, isQualifiedName(p.appProtocol)));
  return errs;
}

function validateClusterIPFields(spec: Spec): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  const path = 'spec.clusterIPs';
  if (spec.clusterIP) {
    if (!ips.length) errs.push(field.required(path));
    else if (ips[0] !== spec.clusterIP) errs.push(invalidRendered(path, goStringSlice(ips), 'first value must match `clusterIP`'));
  } else if (ips.length) errs.push(invalidRendered(path, goStringSlice(ips), 'must be empty when `clusterIP` is not specified'));
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(field.notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    if (seen.has(f)) errs.push(field.duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
  if (spec.ipFamilyPolicy !== undefined && !policies.includes(spec.ipFamilyPolicy)) errs.push(field.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, policies));
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(invalidRendered(path, goStringSlice(ips), "'None' must be the first and only value"));
      }
      return;
    }
    const e = validateIP(`${path}[${i}]`, ip);
    if (e.length) badIPs = true;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(invalidRendered(path, goStringSlice(ips), 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (ips.length > 1 && ipFamily(ips[0]) === ipFamily(ips[1])) errs.push(invalidRendered(path, goStringSlice(ips), 'may specify no more than one IP for each IP family'));
  if (!isHeadless(spec)) {
    ips.forEach((ip, i) => {
      const fam = spec.ipFamilies?.[i];
      if (fam === 'IPv4' && ipFamily(ip) === 6) errs.push(field.invalid(`${path}[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (fam === 'IPv6' && ipFamily(ip) !== 6) errs.push(field.invalid(`${path}[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

/** upstream ValidateService (spec part). */
export function validateServiceSpec(spec: Spec | undefined): FieldError[] {
  const s = spec ?? ({} as Spec);
  const errs: FieldError[] = [];
  const ports = s.ports ?? [];
  if (!ports.length && !isHeadless(s) && s.type !== 'ExternalName') errs.push(field.required('spec.ports'));
  switch (s.type) {
    case 'LoadBalancer':
      if (isHeadless(s)) errs.push(field.invalid('spec.clusterIPs[0]', s.clusterIPs?.[0] ?? 'None', "may not be set to 'None' for LoadBalancer services"));
      ports.forEach((p, i) => {
        if (p.port === 10250) errs.push(field.invalid(`spec.ports[${i}]`, p.port, 'may not expose port 10250 externally since it is used by kubelet'));
      });
      break;
    case 'NodePort':
      if (isHeadless(s)) errs.push(field.invalid('spec.clusterIPs[0]', s.clusterIPs?.[0] ?? 'None', "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if (s.clusterIPs?.length) errs.push(field.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (s.ipFamilies?.length) errs.push(field.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (s.ipFamilyPolicy !== undefined) errs.push(field.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const cname = (s.externalName ?? '').replace(/\.$/, '');
      if (cname) errs.push(...invalidEach('spec.externalName', cname, isDNS1123Subdomain(cname)));
      else errs.push(field.required('spec.externalName'));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (s.selector) errs.push(...validateLabels(s.selector, 'spec.selector'));
  if (!s.sessionAffinity) errs.push(field.required('spec.sessionAffinity'));
  else if (!['ClientIP', 'None'].includes(s.sessionAffinity)) errs.push(field.notSupported('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None']));
  if (s.sessionAffinity === 'ClientIP') {
    const t = s.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (t === undefined) errs.push(field.required('spec.sessionAffinityConfig.clientIP.timeoutSeconds'));
    else if (t <= 0 || t > 86400) errs.push(field.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, 'must be greater than 0 and less than 86400'));
  } else if (s.sessionAffinity === 'None' && s.sessionAffinityConfig)
    errs.push(field.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  errs.push(...validateClusterIPFields(s));
  (s.externalIPs ?? []).forEach((ip, i) => {
    const e = validateIP(`spec.externalIPs[${i}]`, ip);
    errs.push(...(e.length ? e : validateNonSpecialIP(ip, `spec.externalIPs[${i}]`)));
  });
  if (!s.type) errs.push(field.required('spec.type'));
  else if (!SERVICE_TYPES.includes(s.type)) errs.push(field.notSupported('spec.type', s.type, SERVICE_TYPES));
  if (s.type === 'ClusterIP')
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(field.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (seenPorts.has(key)) errs.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}]`, message: `Duplicate value: ${goServicePortKey(p)}` });
    seenPorts.add(key);
  });
  if (!externallyAccessible(s)) {
    if (s.externalTrafficPolicy) errs.push(field.invalid('spec.externalTrafficPolicy', s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!s.externalTrafficPolicy) errs.push(field.required('spec.externalTrafficPolicy'));
  else if (!['Cluster', 'Local'].includes(s.externalTrafficPolicy)) errs.push(field.notSupported('spec.externalTrafficPolicy', s.externalTrafficPolicy, ['Cluster', 'Local']));
  if (!needsHealthCheck(s) && s.healthCheckNodePort)
    errs.push(field.invalid('spec.healthCheckNodePort', s.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  if (s.internalTrafficPolicy === undefined) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type ?? '')) errs.push(field.required('spec.internalTrafficPolicy', 'must be specified'));
  } else if (!['Cluster', 'Local'].includes(s.internalTrafficPolicy)) errs.push(field.notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, ['Cluster', 'Local']));
  return errs;
}

/** upstream validateUpgradeDowngradeClusterIPs: assigned cluster IPs never change (except to or from ExternalName). */
export function validateServiceUpdate(spec: Spec, prev: Spec): FieldError[] {
  if (spec.type === 'ExternalName' || prev.type === 'ExternalName') return [];
  if (isHeadless(spec) && isHeadless(prev)) return [];
  const next = spec.clusterIPs ?? [];
  const old = prev.clusterIPs ?? [];
  const errs: FieldError[] = [];
  if (next.length === old.length || next.length > old.length) {
    old.forEach((ip, i) => {
      if (ip !== next[i]) errs.push(invalidRendered(`spec.clusterIPs[${i}]`, goStringSlice(next), 'may not change once set'));
    });
  } else if (next.length && next[0] !== old[0]) {
    errs.push(invalidRendered('spec.clusterIPs[0]', goStringSlice(next), 'may not change once set'));
  } else if (!next.length && old.length) {
    errs.push(invalidRendered('spec.clusterIPs[0]', goStringSlice(next), 'primary clusterIP can not be unset'));
  }
  return errs;
}

/** The EXTERNAL-IP cell (upstream getServiceExternalIP). */
export function serviceExternalIP(svc: Service, wide: boolean): string {
  const s = svc.spec ?? {};
  switch (s.type) {
    case 'ClusterIP':
    case 'NodePort':
      return s.externalIPs?.length ? s.externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerString(svc.status?.loadBalancer?.ingress, wide);
      if (s.externalIPs?.length) return [...(lb ? lb.split(',') : []), ...s.externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return s.externalName ?? '';
  }
  return '<unknown>';
}

/** The PORT(S) cell: port/proto or port:nodePort/proto, comma-separated. */
export function servicePorts(ports: ServicePort[] | undefined): string {
  return (ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

/** The Service strategy. */
export const serviceStrategy: Strategy = {
  defaults: defaultService,
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  prepareForUpdate: prepareServiceUpdate,
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, true, nameIsDNS1035Label), ...validateServiceSpec(obj.spec)],
  validateUpdate: (obj, old) => validateServiceUpdate((obj.spec ?? {}) as Spec, (old.spec ?? {}) as Spec),
  columns: [
    col('Type', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE,
    col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 'string', 1),
  ],
  row(obj, now) {
    const svc = obj as Service;
    // Server-side tables are built wide, so the external IP is never clipped here.
    return [
      svc.spec?.type ?? '',
      svc.spec?.clusterIPs?.[0] ?? '<none>',
      serviceExternalIP(svc, true),
      servicePorts(svc.spec?.ports) || '<none>',
      age(obj, now),
      formatLabels(svc.spec?.selector),
    ];
  },
  selectableFields: (obj) => ({ 'spec.clusterIP': obj.spec?.clusterIP ?? '', 'spec.type': obj.spec?.type ?? '' }),
};
