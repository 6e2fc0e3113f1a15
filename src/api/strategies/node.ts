// Node strategy: status/CIDR defaults, taint and CIDR validation, immutable podCIDRs/providerID, STATUS/ROLES/VERSION table.
import type { Node, Taint } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../../machinery/errors';
import { nameIsDNSSubdomain, semanticEqual, validateCIDR, validateLabelName, validateObjectMetaFormat, isValidLabelValue } from '../../machinery/validation';
import type { KObject, Strategy } from '../types';
import { goQuote } from './go-format';
import { TAINT_EFFECTS } from './pod-validation';
import { canonicalizeResourceList, decodingQuantities } from './quantities';
import { AGE, age, col } from './table-helpers';

/** SetDefaults_NodeStatus and the v1 podCIDR ⇄ podCIDRs conversion; quantities canonical. */
export function defaultNode(obj: KObject): void {
  const spec = (obj.spec ??= {});
  if (!spec.podCIDRs?.length && spec.podCIDR) spec.podCIDRs = [spec.podCIDR];
  if (spec.podCIDRs?.length) spec.podCIDR = spec.podCIDRs[0];
  const status = obj.status;
  if (!status) return;
  canonicalizeResourceList(status.capacity, false);
  canonicalizeResourceList(status.allocatable, false);
  if (!status.allocatable && status.capacity) status.allocatable = { ...status.capacity };
}

function validateTaints(taints: Taint[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (taints ?? []).forEach((t, i) => {
    const p = `spec.taints[${i}]`;
    errs.push(...validateLabelName(t.key ?? '', `${p}.key`));
    const msgs = isValidLabelValue(t.value ?? '');
    if (msgs.length) errs.push(field.invalid(`${p}.value`, t.value ?? '', msgs.join(';')));
    if (!t.effect) errs.push(field.required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(field.notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
    const key = `${t.effect}\u0000${t.key}`;
    if (seen.has(key)) {
      const rendered = `core.Taint{Key:${goQuote(t.key ?? '')}, Value:${goQuote(t.value ?? '')}, Effect:${goQuote(t.effect ?? '')}, TimeAdded:<nil>}`;
      errs.push({ type: 'FieldValueDuplicate', field: p, message: `Duplicate value: ${rendered}: taints must be unique by key and effect pair` });
      return;
    }
    seen.add(key);
  });
  return errs;
}

/** upstream ValidateNode (spec part). */
export function validateNodeSpec(spec: Node['spec']): FieldError[] {
  const errs = validateTaints(spec?.taints);
  const cidrs = spec?.podCIDRs ?? [];
  cidrs.forEach((c, i) => errs.push(...validateCIDR(`spec.podCIDRs[${i}]`, c)));
  if (cidrs.length > 2) errs.push(field.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
  return errs;
}

/** upstream ValidateNodeUpdate: podCIDRs and providerID may only go from unset to set. */
export function validateNodeUpdate(obj: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old.spec?.podCIDRs?.length && !semanticEqual(obj.spec?.podCIDRs, old.spec.podCIDRs))
    errs.push(field.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  if (old.spec?.providerID && obj.spec?.providerID !== old.spec.providerID)
    errs.push(field.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  return errs;
}

/** ROLES from node-role.kubernetes.io/<role> and kubernetes.io/role labels, sorted. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

/** STATUS: Ready/NotReady/Unknown plus SchedulingDisabled when cordoned. */
export function nodeStatusText(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

const address = (node: Node, type: string) => node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';

/** The Node strategy; nodes keep the status they are created with (kubelets register that way). */
export const nodeStrategy: Strategy = {
  defaults: (obj) => decodingQuantities('Node', 'v1', () => defaultNode(obj)),
  validate: (obj) => [...validateObjectMetaFormat(obj.metadata, false, nameIsDNSSubdomain), ...validateNodeSpec(obj.spec)],
  validateUpdate: validateNodeUpdate,
  columns: [
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    AGE,
    col('Version', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'List of addresses reachable to the node.', 'string', 1),
    col('External-IP', 'List of addresses reachable to the node.', 'string', 1),
    col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 'string', 1),
    col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 'string', 1),
    col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 'string', 1),
  ],
  row(obj, now) {
    const node = obj as Node;
    const info = node.status?.nodeInfo;
    return [
      nodeStatusText(node),
      nodeRoles(obj.metadata.labels).join(',') || '<none>',
      age(obj, now),
      info?.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
  selectableFields: (obj) => ({ 'spec.unschedulable': String(obj.spec?.unschedulable ?? false) }),
};
