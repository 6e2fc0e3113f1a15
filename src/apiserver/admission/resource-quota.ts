// ResourceQuota admission: refuses a create (or a growing update) that would take a namespace past one of its quotas.
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { evaluatorFor } from '../../api/quota/evaluators';
import { calculateUsage, checkQuotas } from '../../api/quota/usage';
import type { KObject } from '../../api/types';
import { forbidden } from '../../machinery/errors';
import type { Clock } from '../../util/clock';
import type { ObjectLister } from './object-lister';
import type { AdmissionPlugin } from './types';

/** An admitted create not yet visible in the cache, charged meanwhile so concurrent creates cannot both slip under a quota. */
interface Reservation {
  group: string;
  resource: string;
  obj: KObject;
  until: number;
}

// Long enough for a write to reach the watch cache; a reservation whose write failed is dropped after it.
const RESERVATION_MS = 3000;

/** Builds the plugin: usage is counted from the live objects the lister returns, plus writes in flight. */
export function resourceQuota(list: ObjectLister, clock: Clock): AdmissionPlugin {
  const reserved = new Map<string, Reservation[]>();

  // The namespace's objects of one resource, with reservations the cache has not caught up with yet.
  const objectsWithReservations = (namespace: string, now: number) => (group: string, resource: string) => {
    const live = list(group, resource, namespace);
    const mine = (reserved.get(namespace) ?? []).filter((r) => r.group === group && r.resource === resource);
    if (!mine.length) return live;
    const names = new Set(live.map((o) => o.metadata.name));
    const pending = mine.filter((r) => r.until > now && !names.has(r.obj.metadata.name)).map((r) => r.obj);
    return pending.length ? [...live, ...pending] : live;
  };

  const prune = (namespace: string, now: number) => {
    const rs = reserved.get(namespace);
    if (!rs) return;
    const names = (g: string, r: string) => new Set(list(g, r, namespace).map((o) => o.metadata.name));
    const keep = rs.filter((r) => r.until > now && !names(r.group, r.resource).has(r.obj.metadata.name));
    if (keep.length) reserved.set(namespace, keep);
    else reserved.delete(namespace);
  };

  return {
    name: 'ResourceQuota',
    admit(a) {
      if (a.operation === 'DELETE' || a.subresource || !a.resource.namespaced) return;
      const { group, resource } = a.resource;
      // Pods only charge on create (their resources are immutable); other kinds may grow on update (service ports).
      if (a.operation === 'UPDATE' && !(group === '' && (resource === 'services' || resource === 'persistentvolumeclaims'))) return;
      const quotas = list('', 'resourcequotas', a.namespace) as ResourceQuota[];
      if (!quotas.length) return;
      const now = clock.now();
      prune(a.namespace, now);
      const objects = objectsWithReservations(a.namespace, now);
      const denial = checkQuotas(quotas, { group, resource, operation: a.operation, object: a.object!, oldObject: a.oldObject, now }, (q) => calculateUsage(q, objects, now));
      if (denial) throw forbidden({ group, resource }, a.name, denial);
      if (a.dryRun || a.operation !== 'CREATE') return;
      const ev = evaluatorFor(group, resource);
      if (!quotas.some((q) => Object.keys(q.spec?.hard ?? {}).some((n) => ev.tracks(n)))) return;
      const rs = reserved.get(a.namespace) ?? [];
      rs.push({ group, resource, obj: a.object!, until: now + RESERVATION_MS });
      reserved.set(a.namespace, rs);
    },
  };
}
