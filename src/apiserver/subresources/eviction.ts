// pods/eviction: deletes a pod unless its PodDisruptionBudget forbids it (429), taking one allowed disruption first, as upstream.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { KObject } from '../../api/types';
import { labelSelectorFromObject, matchesLabels } from '../../machinery/labels';
import { badRequest, forbidden, isStatusError, StatusError } from '../../machinery/errors';
import { rfc3339 } from '../../util/clock';
import { cacheLister } from '../admission/object-lister';
import type { HandlerContext, SubresourceHandler, SubresourceTarget } from '../handlers/context';
import type { DeleteOptions, WriteContext } from '../registry/registry';

/** upstream MaxDisruptedPodSize: evictions approved but not yet seen by the disruption controller. */
export const MAX_DISRUPTED_PODS = 2000;

const TOO_MANY = "Cannot evict pod as it would violate the pod's disruption budget.";
const CONFLICT_RETRIES = 20;

/** The 429 upstream answers with; a retry delay makes clients wait before asking again. */
export function disruptionBudgetError(cause: string, retryAfterSeconds: number): StatusError {
  return new StatusError(429, 'TooManyRequests', TOO_MANY, {
    ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}),
    causes: [{ reason: 'DisruptionBudget', message: cause }],
  });
}

const processing = (pdb: KObject) => disruptionBudgetError(`The disruption budget ${pdb.metadata.name} is still being processed by the server.`, 10);

const isReady = (pod: KObject) => (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');

const terminal = (pod: KObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** upstream canIgnorePDB: finished, pending or already terminating pods are deleted without consulting budgets. */
export function canIgnorePDB(pod: KObject): boolean {
  return terminal(pod) || pod.status?.phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

/** The budgets covering a pod: same namespace, non-empty selector that matches (an empty selector matches nothing here). */
export function budgetsFor(pod: KObject, pdbs: KObject[]): KObject[] {
  return pdbs.filter((pdb) => {
    const sel = pdb.spec?.selector;
    if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) return false;
    try {
      return matchesLabels(labelSelectorFromObject(sel), pod.metadata.labels);
    } catch {
      return false;
    }
  });
}

/** upstream checkAndDecrement on a copy of the budget: throws the refusal, or returns the budget with one disruption taken. */
export function takeDisruption(pdb: PodDisruptionBudget & KObject, podName: string, now: number): KObject {
  const status = (pdb.status ??= { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 }) as NonNullable<PodDisruptionBudget['status']> & Record<string, unknown>;
  const gr = { group: 'policy', resource: 'poddisruptionbudget' };
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw processing(pdb);
  if (status.disruptionsAllowed < 0) throw forbidden(gr, pdb.metadata.name!, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw forbidden(gr, pdb.metadata.name!, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (status.disruptionsAllowed === 0) {
    throw disruptionBudgetError(`The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`, 0);
  }
  const s = status as { -readonly [K in keyof typeof status]: (typeof status)[K] };
  s.disruptionsAllowed--;
  if (s.disruptionsAllowed === 0) {
    const conds = [...(s.conditions ?? [])];
    const i = conds.findIndex((c) => c.type === 'DisruptionAllowed');
    const changed = i < 0 || conds[i].status !== 'False';
    const cond = {
      type: 'DisruptionAllowed',
      status: 'False',
      reason: 'InsufficientPods',
      message: i >= 0 ? conds[i].message : '',
      observedGeneration: s.observedGeneration,
      lastTransitionTime: changed ? rfc3339(now) : conds[i].lastTransitionTime,
    };
    if (i < 0) conds.push(cond);
    else conds[i] = cond;
    s.conditions = conds;
  }
  s.disruptedPods = { ...(s.disruptedPods ?? {}), [podName]: rfc3339(now) };
  return pdb;
}

function deleteOptionsOf(eviction: KObject): DeleteOptions {
  const o = (eviction.deleteOptions ?? {}) as DeleteOptions & { dryRun?: string[] };
  const out: DeleteOptions = {};
  if (o.gracePeriodSeconds !== undefined && o.gracePeriodSeconds !== null) out.gracePeriodSeconds = Math.max(0, o.gracePeriodSeconds);
  if (o.propagationPolicy) out.propagationPolicy = o.propagationPolicy;
  if (o.orphanDependents !== undefined) out.orphanDependents = o.orphanDependents;
  if (o.preconditions) out.preconditions = { ...o.preconditions };
  return out;
}

const withResourceVersion = (opts: DeleteOptions, rv: string | undefined): DeleteOptions => ({ ...opts, preconditions: { ...opts.preconditions, resourceVersion: rv } });

const SUCCESS = { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };

const isConflict = (e: unknown) => isStatusError(e) && e.code === 409 && e.reason === 'Conflict';

/** The eviction handler; register it as pods/eviction (kind Eviction, policy/v1). */
export function evictionHandler(): SubresourceHandler {
  return {
    async create(target: SubresourceTarget, body: KObject, wc: WriteContext, ctx: HandlerContext) {
      if (body.metadata?.name !== target.name) throw badRequest('name in URL does not match name in Eviction object');
      const { namespace, name } = target;
      const podR = ctx.table.storageOf(target.resource);
      const original = deleteOptionsOf(body);
      const dryRun = wc.dryRun || ((body.deleteOptions?.dryRun as string[] | undefined) ?? []).includes('All');
      const write = (): WriteContext => ({ ...wc, dryRun, warnings: wc.warnings });
      const userSetRV = !!original.preconditions?.resourceVersion;

      // Pods that can skip the budget are deleted straight away, retrying a race with other writers.
      let pod: KObject | undefined;
      for (let attempt = 0; ; attempt++) {
        pod = (await ctx.registry.get(podR, namespace, name)).obj;
        if (!canIgnorePDB(pod)) break;
        const enforce = !terminal(pod) && !pod.metadata.deletionTimestamp && !userSetRV;
        try {
          await ctx.registry.delete(podR, namespace, name, enforce ? withResourceVersion(original, pod.metadata.resourceVersion) : original, write());
          return SUCCESS;
        } catch (e) {
          if (!isConflict(e) || userSetRV || attempt >= CONFLICT_RETRIES) throw e;
        }
      }

      const pdbR = ctx.table.lookup('policy', 'v1', 'poddisruptionbudgets')!;
      const pdbs = budgetsFor(pod, cacheLister(ctx.table, ctx.cache)('policy', 'poddisruptionbudgets', namespace));
      if (pdbs.length > 1) {
        const message = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';
        return { code: 500, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 } };
      }
      let preconditionRV = false;
      if (pdbs.length === 1) {
        const pdb = pdbs[0];
        const st = pdb.status ?? {};
        // An unready pod is not healthy, so evicting it costs no disruption when the budget is met (or always, by policy).
        const unhealthyFree = !isReady(pod) && (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0));
        if (unhealthyFree) preconditionRV = true;
        else {
          const now = ctx.clock.now();
          await ctx.registry.update(pdbR, namespace, pdb.metadata.name!, 'status', (cur) => ({ obj: takeDisruption(cur as PodDisruptionBudget & KObject, name, now) }), write(), false);
        }
      }
      const opts = preconditionRV ? withResourceVersion(original, pod.metadata.resourceVersion) : original;
      try {
        await ctx.registry.delete(podR, namespace, name, opts, write());
      } catch (e) {
        // The pod changed since its health was judged: the client should ask again.
        if (isConflict(e) && preconditionRV && !userSetRV) throw processing(pdbs[0]);
        throw e;
      }
      return SUCCESS;
    },
  };
}
