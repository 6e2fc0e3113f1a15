// Deletes every namespaced object of a terminating namespace and counts what is left (upstream namespacedResourcesDeleter).
import { builtinResources } from '../../api/kinds';
import type { Client, GVR } from '../../client/types';
import { errorMessage, isNotFound } from '../shared/errors';
import { DeletionTotals, groupResourceName } from './conditions';

/** Stored versions of every namespaced resource. */
export function namespacedResources(): GVR[] {
  return builtinResources()
    .filter((r) => r.namespaced && !r.storage)
    .map((r) => ({ group: r.group, version: r.version, resource: r.resource }));
}

/** One pass: deletes what is not yet being deleted, then counts what remains and the finalizers holding it. */
export async function deleteAllContent(client: Client, resources: GVR[], namespace: string): Promise<DeletionTotals> {
  const totals: DeletionTotals = { remaining: new Map(), finalizers: new Map(), errors: [] };
  await Promise.all(
    resources.map(async (gvr) => {
      const rc = client.resource(gvr);
      const gr = groupResourceName(gvr.group, gvr.resource);
      try {
        const { items } = await rc.list(namespace);
        for (const obj of items) {
          if (obj.metadata.deletionTimestamp) continue;
          try {
            await rc.delete(namespace, obj.metadata.name!, { preconditions: { uid: obj.metadata.uid } });
          } catch (e) {
            if (!isNotFound(e)) throw e;
          }
        }
        const left = (await rc.list(namespace)).items;
        if (left.length) totals.remaining.set(gr, left.length);
        for (const obj of left) for (const f of obj.metadata.finalizers ?? []) totals.finalizers.set(f, (totals.finalizers.get(f) ?? 0) + 1);
      } catch (e) {
        totals.errors.push(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvr.group}/${gvr.version}, Resource=${gvr.resource}: ${errorMessage(e)}`);
      }
    }),
  );
  return totals;
}
