// Priority admission: resolves a pod's priorityClassName into spec.priority and preemptionPolicy; one global default class at most.
import type { KObject } from '../../api/types';
import { forbidden } from '../../machinery/errors';
import type { ObjectLister } from './object-lister';
import type { AdmissionPlugin } from './types';

/** The classes every cluster has, with upstream's values (used when their objects are not stored). */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

/** A resolved class: its name ("" for none), value and preemption policy. */
export interface ResolvedPriority {
  name: string;
  value: number;
  preemptionPolicy: string;
}

/** upstream getDefaultPriorityClass: among globalDefault classes the one with the lowest value. */
export function defaultPriorityClass(classes: KObject[]): KObject | undefined {
  let best: KObject | undefined;
  for (const pc of classes) if (pc.globalDefault && (!best || (pc.value ?? 0) < (best.value ?? 0))) best = pc;
  return best;
}

/** The priority a pod gets: from its class, or from the global default class, or 0. Undefined: the named class does not exist. */
export function resolvePriority(className: string | undefined, classes: KObject[]): ResolvedPriority | undefined {
  const policy = (pc: KObject) => pc.preemptionPolicy ?? 'PreemptLowerPriority';
  if (!className) {
    const def = defaultPriorityClass(classes);
    return def ? { name: def.metadata.name!, value: def.value ?? 0, preemptionPolicy: policy(def) } : { name: '', value: 0, preemptionPolicy: 'PreemptLowerPriority' };
  }
  const pc = classes.find((c) => c.metadata.name === className);
  if (pc) return { name: className, value: pc.value ?? 0, preemptionPolicy: policy(pc) };
  if (className in SYSTEM_PRIORITY_CLASSES) return { name: className, value: SYSTEM_PRIORITY_CLASSES[className], preemptionPolicy: 'PreemptLowerPriority' };
  return undefined;
}

/** Builds the plugin over a lister of PriorityClasses. */
export function priority(list: ObjectLister): AdmissionPlugin {
  const classes = () => list('scheduling.k8s.io', 'priorityclasses', '');
  return {
    name: 'Priority',
    admit(a) {
      const gr = { group: a.resource.group, resource: a.resource.resource };
      if (a.resource.group === 'scheduling.k8s.io' && a.resource.resource === 'priorityclasses') {
        if (a.operation === 'DELETE' || !a.object?.globalDefault) return;
        const def = defaultPriorityClass(classes());
        if (def && (a.operation === 'CREATE' || def.metadata.name !== a.name)) {
          throw forbidden(gr, a.name, `PriorityClass ${def.metadata.name} is already marked as default. Only one default can exist`);
        }
        return;
      }
      if (a.resource.group !== '' || a.resource.resource !== 'pods' || a.subresource || a.operation === 'DELETE') return;
      const spec = (a.object!.spec ??= {});
      if (a.operation === 'UPDATE') {
        // Set on create; an update that leaves them out keeps them.
        spec.priority ??= a.oldObject?.spec?.priority;
        spec.preemptionPolicy ??= a.oldObject?.spec?.preemptionPolicy;
        return;
      }
      const resolved = resolvePriority(spec.priorityClassName, classes());
      if (!resolved) throw forbidden(gr, a.name, `no PriorityClass with name ${spec.priorityClassName} was found`);
      // Without a class name the pod strategy already defaulted priority 0 and PreemptLowerPriority: those are not the user's.
      const defaulted = !spec.priorityClassName;
      if (spec.priority !== undefined && spec.priority !== resolved.value && !(defaulted && spec.priority === 0)) {
        throw forbidden(
          gr,
          a.name,
          `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${resolved.value} from the given PriorityClass name`,
        );
      }
      if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== resolved.preemptionPolicy && !(defaulted && spec.preemptionPolicy === 'PreemptLowerPriority')) {
        throw forbidden(
          gr,
          a.name,
          `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${resolved.preemptionPolicy} from the given PriorityClass name`,
        );
      }
      if (resolved.name) spec.priorityClassName = resolved.name;
      spec.priority = resolved.value;
      spec.preemptionPolicy = resolved.preemptionPolicy;
    },
  };
}
